import Foundation
import Testing

/// Chapter 13: "MiniTorch ends at 2.42 ... to within what a seed changes": the book's default run
/// against the PyTorch reference.
@Suite("Lesson 13: the book's default run against PyTorch", .enabled(if: BookRun.enabled, "reads book/build: make book-check runs it with BOOK_RUNS=1"))
struct Lesson13BookRunTests {
    @Test func asGoodAsPyTorch() throws {
        let final = try BookRun.text("13-gpt-pretraining", "cells/final.txt")
        let bpb = try #require(ReferenceRunTests.finalValue(final, "held-out bits per byte"))
        #expect(abs(bpb - 2.42) < 0.005, "\(bpb)")
        let ends = try ReferenceRunTests.pytorchEnds()
        let spread = (ends.values.max() ?? 0) - (ends.values.min() ?? 0)
        #expect(ends.values.allSatisfy { abs($0 - bpb) <= 0.015 } && spread < 0.015, "\(bpb) against \(ends)")
    }
}
