import Testing
@testable import BookBuilder

@Suite struct DirectiveTests {
    @Test func expandsEveryDirective() throws {
        let text = try Directives.expand("a {{#output one}} b {{#include F.swift:x }} c") { directive in
            "[\(directive.name)|\(directive.arguments)]"
        }
        #expect(text == "a [output|one] b [include|F.swift:x] c")
    }

    @Test func backslashKeepsALiteral() throws {
        let text = try Directives.expand(#"type \{{#include File.swift:anchor}} here"#) { _ in "X" }
        #expect(text == "type {{#include File.swift:anchor}} here")
    }

    @Test func unclosedDirectiveIsAnError() {
        #expect(throws: BookError("'{{#' is never closed by '}}'")) {
            try Directives.expand("{{#output x") { _ in "" }
        }
    }
}
