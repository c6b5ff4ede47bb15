import Testing
@testable import MiniTorch

@Suite("Ops: error messages")
struct OpsErrorTests {
    @Test func concatNamesOpAndBothShapes() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.concat([Tensor.zeros([2, 3]), Tensor.zeros([4, 5])], axis: 0)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text == "error: concat: shapes [2, 3] and [4, 5] differ outside axis 0\n")
        }
    }

    @Test func narrowOutOfRange() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 5]).narrow(axis: 1, start: 3, length: 4)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text == "error: narrow: start 3, length 4 is out of range for axis 1 of size 5 in [2, 5]\n")
        }
    }

    @Test func indexSelectOutOfRange() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([3, 2]).indexSelect(axis: 0, indices: [0, 3])
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text == "error: indexSelect: index 3 is out of range for axis 0 of size 3 in [3, 2]\n")
        }
    }

    @Test func maskedFillMaskMustBroadcast() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).maskedFill(mask: Tensor.zeros([4, 3]), value: 0)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.hasPrefix("error: maskedFill: shapes [2, 3] and [4, 3] cannot be broadcast"))
        }
    }
}
