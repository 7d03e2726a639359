/// A map of at most `capacity` entries that, when full, forgets the entry used least recently,
/// so a flood of new keys pushes out only what nobody asked for lately. Lookups, insertions and
/// removals are O(1): the entries form a doubly linked list through slot indices, newest first.
/// A plain value with no lock of its own: its owner serializes access.
struct LeastRecentlyUsed<Key: Hashable, Value> {
    private struct Slot {
        var key: Key
        var value: Value
        var older: Int?
        var newer: Int?
    }

    let capacity: Int
    private var slots: [Slot] = []
    private var freeSlots: [Int] = []
    private var slotOfKey: [Key: Int] = [:]
    private var newest: Int?
    private var oldest: Int?

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { slotOfKey.count }

    /// The value, which now counts as the most recently used.
    mutating func value(for key: Key) -> Value? {
        guard let slot = slotOfKey[key] else { return nil }
        unlink(slot)
        linkAsNewest(slot)
        return slots[slot].value
    }

    /// The value without counting as a use (for tests and diagnostics).
    func peek(_ key: Key) -> Value? {
        slotOfKey[key].map { slots[$0].value }
    }

    /// Stores the value as the most recently used, evicting the least recently used entry when full.
    mutating func set(_ value: Value, for key: Key) {
        if let slot = slotOfKey[key] {
            slots[slot].value = value
            unlink(slot)
            linkAsNewest(slot)
            return
        }
        let fresh = Slot(key: key, value: value, older: nil, newer: nil)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = fresh
        } else if slots.count < capacity {
            slot = slots.count
            slots.append(fresh)
        } else if let evicted = oldest {
            unlink(evicted)
            slotOfKey[slots[evicted].key] = nil
            slot = evicted
            slots[slot] = fresh
        } else {
            return  // unreachable: a full map has an oldest entry
        }
        slotOfKey[key] = slot
        linkAsNewest(slot)
    }

    mutating func removeValue(for key: Key) {
        guard let slot = slotOfKey.removeValue(forKey: key) else { return }
        unlink(slot)
        freeSlots.append(slot)
    }

    /// Keys from the most to the least recently used.
    var keysByRecency: [Key] {
        var keys: [Key] = []
        var cursor = newest
        while let slot = cursor {
            keys.append(slots[slot].key)
            cursor = slots[slot].older
        }
        return keys
    }

    private mutating func unlink(_ slot: Int) {
        let older = slots[slot].older, newer = slots[slot].newer
        if let older { slots[older].newer = newer } else { oldest = newer }
        if let newer { slots[newer].older = older } else { newest = older }
        slots[slot].older = nil
        slots[slot].newer = nil
    }

    private mutating func linkAsNewest(_ slot: Int) {
        slots[slot].older = newest
        slots[slot].newer = nil
        if let newest { slots[newest].newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
    }
}
