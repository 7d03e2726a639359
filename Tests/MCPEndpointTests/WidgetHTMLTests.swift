import Foundation
@testable import MCPEndpoint
import Testing

/// Inlining the bundle must not let its text end the <script> or <style> element early.
@Suite struct WidgetHTMLTests {
    @Test func closingScriptTagsInAnyCaseAreEscaped() {
        let html = WidgetHTML.render(script: #"a="</script>";b="</SCRIPT >";c=/<\/script/;"#, style: nil)
        #expect(html.contains(#"a="<\/script>";b="<\/SCRIPT >";c=/<\/script/;"#))
        #expect(html.components(separatedBy: "</script>").count == 2)
        #expect(!html.contains("<style>"))
    }

    @Test func commentOpenersAreEscaped() {
        #expect(WidgetHTML.render(script: "x='<!--'", style: nil).contains(#"x='<\!--'"#))
    }

    @Test func closingStyleTagsAreEscaped() {
        let html = WidgetHTML.render(script: "", style: "a::after{content:'</style>'}")
        #expect(html.contains(#"a::after{content:'<\/style>'}"#))
        #expect(html.components(separatedBy: "</style>").count == 2)
    }

    @Test func documentShape() {
        let html = WidgetHTML.render(script: "run()", style: "p{}")
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<div id=\"root\"></div>\n<script type=\"module\">\nrun()\n</script>"))
    }
}
