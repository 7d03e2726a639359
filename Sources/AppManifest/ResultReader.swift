/// `result`: where the structured content is in the answer, the text, and the error texts.
struct ResultReader {
    let reader: ManifestReader
    let arguments: ArgumentNames?

    func read(_ node: JSONNode, path: String) -> ResultDeclaration? {
        guard let result = reader.object(node, path: path, keys: ["structuredContent", "text", "errors"]) else { return nil }
        let structuredContent = self.structuredContent(result)
        let text = result["text"].map { template($0, path: result.path("text")) }
        var errors: [String: TextTemplate] = [:]
        var complete = text.map { $0 != nil } ?? true
        if let node = result["errors"], let entries = reader.object(node, path: result.path("errors"), keys: nil) {
            for key in entries.order {
                guard let entry = entries[key] else { continue }
                let entryPath = entries.path(key)
                guard Self.isErrorKey(key, path: entryPath, at: entries.offset(key), reader: reader),
                      let template = template(entry, path: entryPath)
                else {
                    complete = false
                    continue
                }
                errors[key] = template
            }
        }
        guard let structuredContent, complete else { return nil }
        return ResultDeclaration(structuredContent: structuredContent, text: text ?? nil, errors: errors)
    }

    private func structuredContent(_ result: ObjectReading) -> StructuredContentDeclaration? {
        guard let node = result["structuredContent"] else { return .pointer(JSONPointer.whole) }
        let path = result.path("structuredContent")
        switch node.content {
        case .string(let text):
            return pointer(text, path: path, at: node.offset).map(StructuredContentDeclaration.pointer)
        case .object:
            guard let fields = reader.object(node, path: path, keys: nil) else { return nil }
            var pointers: [(key: String, pointer: JSONPointer)] = []
            for key in fields.order {
                guard let field = fields[key], let text = reader.string(field, path: fields.path(key)),
                      let pointer = pointer(text, path: fields.path(key), at: field.offset)
                else { continue }
                pointers.append((key, pointer))
            }
            return pointers.count == fields.members.count ? .fields(pointers) : nil
        default:
            reader.report(path, "must be a string or an object", at: node.offset)
            return nil
        }
    }

    private func pointer(_ text: String, path: String, at offset: Int) -> JSONPointer? {
        do throws(TemplateSyntaxError) {
            return try JSONPointer(parsing: text)
        } catch {
            reader.report(path, error.message, at: offset)
            return nil
        }
    }

    private func template(_ node: JSONNode, path: String) -> TextTemplate? {
        guard let source = reader.string(node, path: path) else { return nil }
        do throws(TemplateSyntaxError) {
            let template = try TextTemplate(parsing: source)
            arguments?.reportUnknown(template.argumentNames, path: path, at: node.offset, reader: reader)
            return template
        } catch {
            reader.report(path, error.message, at: node.offset)
            return nil
        }
    }

    /// A status 400–599, or a class "4xx"/"5xx". 401 and 403 are the sign-in-again answers.
    private static func isErrorKey(_ key: String, path: String, at offset: Int, reader: ManifestReader) -> Bool {
        if key == "401" || key == "403" {
            reader.report(path, "401 and 403 always ask the user to sign in again and cannot be set", at: offset)
            return false
        }
        if key == "4xx" || key == "5xx" { return true }
        guard key.utf8.count == 3, key.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }), let status = Int(key),
              (400...599).contains(status)
        else {
            reader.report(path, "must be a status from 400 to 599, \"4xx\" or \"5xx\"", at: offset)
            return false
        }
        return true
    }
}
