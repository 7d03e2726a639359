/// The self-contained HTML document of a widget: the built bundle inlined, so the host's
/// sandboxed iframe needs no other request (and the CSP needs no resource domain for us).
enum WidgetHTML {
    static func render(script: String, style: String?) -> String {
        var html = "<!doctype html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        if let style, !style.isEmpty {
            html += "<style>\n" + escapeClosingTag(style, tag: "style") + "\n</style>\n"
        }
        html += "</head>\n<body>\n<div id=\"root\"></div>\n"
        html += "<script type=\"module\">\n" + escapeClosingTag(escapeCommentOpen(script), tag: "script") + "\n</script>\n"
        html += "</body>\n</html>\n"
        return html
    }

    /// `</script` (any case) would end the element early (HTML §13.2.5.4); `<\/script` means
    /// the same inside JS strings, regexes and comments. Likewise `</style` in CSS.
    static func escapeClosingTag(_ text: String, tag: String) -> String {
        let bytes = Array(text.utf8)
        let name = Array(tag.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), index + 1 + name.count < bytes.count, bytes[index + 1] == UInt8(ascii: "/"),
               zip(bytes[(index + 2)...], name).allSatisfy({ lowercase($0.0) == $0.1 }) {
                output += [UInt8(ascii: "<"), UInt8(ascii: "\\"), UInt8(ascii: "/")]
                index += 2
                continue
            }
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `<!--` inside a script element switches the HTML parser into its escaped state, where a
    /// later `<script` changes how `</script>` is matched; `<\!--` reads the same in JS strings.
    static func escapeCommentOpen(_ text: String) -> String {
        text.contains("<!--") ? text.replacingAll("<!--", with: "<\\!--") : text
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
