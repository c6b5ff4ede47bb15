import Foundation
import Testing

/// figures/style.gp's convention, exercised the way mk/book.mk runs it: an example figure
/// script reads a lesson's CSV through csv('...') and renders SVG in the shared colours.
@Suite(.enabled(if: toolInstalled("gnuplot"), "needs gnuplot (make deps)"))
struct FigureStyleTests {
    static let example = """
        load 'figures/style.gp'
        set title 'Training and validation loss'
        set xlabel 'epoch'
        set ylabel 'loss'
        plot csv('metrics.csv') using 'epoch':'train_loss' title 'train' lt train_lt, \\
             csv('metrics.csv') using 'epoch':'valid_loss' title 'validation' lt valid_lt
        """

    @Test func exampleScriptRendersSVGAndPNGInTheSharedColours() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("build/01-demo/metrics.csv", "epoch,train_loss,valid_loss\n1,2.0,2.1\n2,1.2,1.5\n3,0.8,1.6\n")
        try folder.write("example.gp", Self.example)
        for term in ["svg", "png"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.currentDirectoryURL = URL(fileURLWithPath: BookTests.repository)
            process.arguments = ["gnuplot", "-e",
                                 "builddir='\(folder.path)/build'; lesson='01-demo'; term='\(term)'; outfile='\(folder.path)/out.\(term)'",
                                 "\(folder.path)/example.gp"]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let svg = try folder.read("out.svg")
        #expect(svg.contains("rgb( 31, 119, 180)") || svg.contains("#1f77b4"))   // train_color
        #expect(svg.contains("rgb(230, 113,  27)") || svg.contains("#e6711b"))   // valid_color
        #expect(svg.contains("validation"))
        #expect(folder.exists("out.png"))
    }
}
