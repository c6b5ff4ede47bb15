import Testing
@testable import BookBuilder

/// Directives on a line of their own become blocks; the rest expand in place.
@Suite struct DirectiveBlockTests {
    /// Shows what each expansion was asked for, so a test reads the decisions directly.
    let expansions = DirectiveBlocks.Expansions(
        includeBlock: { arguments, language in "<code \(arguments) \(language ?? "-")>" },
        outputBlock: { name in "<block \(name)>" },
        fencedOutput: { name in "<pre \(name)>" },
        inline: { directive in "<inline \(directive.name) \(directive.arguments)>" })

    func expand(_ markdown: String) throws -> String {
        try DirectiveBlocks.expand(markdown, with: expansions)
    }

    @Test func bareAndFencedIncludesAreBothOneBlock() throws {
        #expect(try expand("Text:\n\n{{#include A.swift:x}}\n\nMore.") == "Text:\n\n<code A.swift:x ->\n\nMore.")
        #expect(try expand("Text:\n\n```swift\n{{#include A.swift:x}}\n```\n\nMore.") == "Text:\n\n<code A.swift:x swift>\n\nMore.")
        #expect(try expand("~~~~ {.swift .numberLines}\n\n  {{#include A.swift}}\n~~~~") == "<code A.swift swift>")
        #expect(try expand("```\n{{#include A.swift:x}}\n```") == "<code A.swift:x ->")
    }

    @Test func blocksKeepTheDirectiveLinesIndentation() throws {
        let expansions = DirectiveBlocks.Expansions(includeBlock: { _, _ in "one\n\ntwo" },
                                                    outputBlock: { _ in "" }, fencedOutput: { _ in "" }, inline: { _ in "" })
        #expect(try DirectiveBlocks.expand("- item\n\n  {{#include A.swift}}", with: expansions) == "- item\n\n  one\n\n  two")
    }

    @Test func outputsAreBlocksOnlyOnTheirOwnLine() throws {
        #expect(try expand("{{#output table}}") == "<block table>")
        #expect(try expand("It took {{#output steps}} steps.") == "It took <inline output steps> steps.")
        #expect(try expand("```\n{{#output log}}\n```") == "<pre log>")
        #expect(try expand("```\nrun:\n{{#output log}}\n```") == "```\nrun:\n<inline output log>\n```")
    }

    @Test func anIncludeSharingAFenceIsAnError() {
        #expect(throws: BookError.self) { try expand("```swift\nlet a = 1\n{{#include A.swift:x}}\n```") }
    }

    @Test func escapedDirectivesStayLiteral() throws {
        #expect(try expand("```markdown\n\\{{#include File.swift:anchor}}\n```") == "```markdown\n{{#include File.swift:anchor}}\n```")
    }

    @Test func fenceOpeningLines() {
        #expect(DirectiveBlocks.Fence(opening: "```swift")?.language == "swift")
        #expect(DirectiveBlocks.Fence(opening: "``` {.swift .x}")?.language == "swift")
        #expect(DirectiveBlocks.Fence(opening: "~~~")?.language == nil)
        #expect(DirectiveBlocks.Fence(opening: "    ```swift") == nil)   // indented code, not a fence
        #expect(DirectiveBlocks.Fence(opening: "``two``") == nil)
        let fence = DirectiveBlocks.Fence(opening: "````")
        #expect(fence?.isClosed(by: "```") == false)
        #expect(fence?.isClosed(by: "`````  ") == true)
    }
}
