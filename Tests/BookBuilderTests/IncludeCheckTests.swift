import Testing
@testable import BookBuilder

/// `book check`'s reading of a page: each include one highlighted block equal to the source
/// region, and never a line of it in a paragraph.
@Suite struct IncludeCheckTests {
    let chapter = "# Demo\n\nThe step:\n\n{{#include Loop.swift:step}}\n"
    let region = "func step() {\n    optimizer.zeroGrad()   // a & b < c\n}"
    func excerpt(_ arguments: String) throws -> String {
        guard arguments == "Loop.swift:step" else { throw BookError("include \(arguments): no anchor") }
        return region
    }

    /// The block as pandoc writes it: one span per line, entities for <, & and quotes.
    let goodBlock = """
        <div class="include"><p><span class="include-source"><code>Loop.swift</code></span></p>
        <div class="sourceCode" id="cb1"
        data-include="Loop.swift:step"><pre
        class="sourceCode swift"><code class="sourceCode swift"><span id="cb1-1"><a href="#cb1-1" aria-hidden="true" tabindex="-1"></a><span class="kw">func</span> step<span class="op">()</span> <span class="op">{</span></span>
        <span id="cb1-2"><a href="#cb1-2" aria-hidden="true" tabindex="-1"></a>    optimizer<span class="op">.</span>zeroGrad<span class="op">()</span>   <span class="co">// a &amp; b &lt; c</span></span>
        <span id="cb1-3"><a href="#cb1-3" aria-hidden="true" tabindex="-1"></a><span class="op">}</span></span></code></pre></div></div>
        """

    @Test func aRightPagePasses() {
        #expect(IncludeCheck.problems(chapter: chapter, html: "<p>The step:</p>\n" + goodBlock, excerpt: excerpt).isEmpty)
    }

    @Test func codeAsAParagraphFails() {
        let prose = "<p>The step:</p>\n<p>func step() { optimizer.zeroGrad()   // a &amp; b &lt;\nc }</p>"
        let problems = IncludeCheck.problems(chapter: chapter, html: prose, excerpt: excerpt)
        #expect(problems == [
            "include Loop.swift:step: 1 in the chapter but 0 code blocks from it on the page",
            "include Loop.swift:step: a paragraph holds its line \"optimizer.zeroGrad() // a & b < c\" (code printed as prose)",
        ])
    }

    @Test func changedWhitespaceTwoBlocksOrNoHighlightingFail() {
        let flattened = goodBlock.replacingOccurrences(of: "</a>    optimizer", with: "</a>optimizer")
        #expect(IncludeCheck.problems(chapter: chapter, html: flattened, excerpt: excerpt) == [
            "include Loop.swift:step: the code block differs from the source region at line 2: \"optimizer.zeroGrad()   // a & b < c\" on the page, \"    optimizer.zeroGrad()   // a & b < c\" in the source",
        ])
        #expect(IncludeCheck.problems(chapter: chapter, html: goodBlock + goodBlock, excerpt: excerpt) == [
            "include Loop.swift:step: 1 in the chapter but 2 code blocks from it on the page",
        ])
        let plain = goodBlock.replacingOccurrences(of: "class=\"sourceCode swift\"><code", with: "class=\"swift\"><code")
        #expect(IncludeCheck.problems(chapter: chapter, html: plain, excerpt: excerpt) == [
            "include Loop.swift:step: its code block is not highlighted (classes: swift)",
        ])
    }

    @Test func escapedIncludesAreNotIncludes() {
        #expect(IncludeCheck.problems(chapter: "Write `\\{{#include F.swift:x}}`.", html: "<p>x</p>", excerpt: excerpt).isEmpty)
    }

    @Test func htmlTextDecodesAndStripsTags() {
        #expect(HTMLText.text(of: "<b>a</b> &lt;mask&gt; &amp;&#39;&#x41;&quot; &bogus; & x") == "a <mask> &'A\" &bogus; & x")
        #expect(HTMLText.paragraphs(in: "<p class=\"x\">one\n  two</p><pre>no</pre><p>three</p>") == ["one two", "three"])
    }
}
