import Testing
@testable import BookBuilder

@Suite struct LinkCheckerTests {
    @Test func goodLinksPass() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("html/figures/a b.svg", "<svg/>")
        try folder.write("html/book.css", "")
        try folder.write("html/02-next.html", "")
        try folder.write("html/index.html", """
            <link rel="stylesheet" href="book.css">
            <a href="02-next.html#top">next</a> <a href='#local'>here</a> <a href="">empty</a>
            <img src="figures/a%20b.svg"> <a href="https://pytorch.org/docs?a=1&amp;b=2">docs</a>
            <a href="mailto:someone@example.com">mail</a>
            <math xmlns="http://www.w3.org/1998/Math/MathML"></math>
            """)
        #expect(try LinkChecker.check(folder: "\(folder.path)/html").isEmpty)
    }

    @Test func brokenLinksAreReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("html/index.html", """
            <a href="03-missing.html">gone</a>
            <img src="figures/missing.svg">
            <script src="https://cdn.example.com/katex.js"></script>
            <a href="/etc/passwd">absolute</a>
            """)
        let broken = try LinkChecker.check(folder: "\(folder.path)/html")
        #expect(broken.map(\.target) == ["figures/missing.svg", "https://cdn.example.com/katex.js",
                                         "03-missing.html", "/etc/passwd"])
        #expect(broken[1].reason == "loads from the network")
        #expect(broken[0].description.hasSuffix("index.html: src=\"figures/missing.svg\": no file \(folder.path)/html/figures/missing.svg"))
    }

    @Test func missingFolderIsAnError() {
        #expect(throws: BookError.self) { try LinkChecker.check(folder: "/nonexistent/book/html") }
    }
}
