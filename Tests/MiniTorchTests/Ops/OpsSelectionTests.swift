import Testing
@testable import MiniTorch

@Suite("Ops: comparisons, where, maskedFill")
struct OpsSelectionTests {
    let g = Generator(seed: 13)

    @Test func comparisonsGiveZeroOne() {
        let a = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
        let b = Tensor([2, 2, 7])
        #expect(a.eq(b).scalars == [0, 1, 0, 0, 0, 0])
        #expect(a.gt(b).scalars == [0, 0, 0, 1, 1, 0])
        #expect(a.lt(b).scalars == [1, 0, 1, 0, 0, 1])
        #expect(a.ge(b).scalars == [0, 1, 0, 1, 1, 0])
        #expect(a.le(b).scalars == [1, 1, 1, 0, 0, 1])
        #expect(a.gt(3.5).scalars == [0, 0, 0, 1, 1, 1])
        #expect(a.eq(5).scalars == [0, 0, 0, 0, 1, 0])
        #expect(a.le(2).scalars == [1, 1, 0, 0, 0, 0])
        let x = Tensor([1, 2], requiresGrad: true)
        #expect(!x.gt(1).requiresGrad)
    }

    @Test func maskedFillValuesAndGradients() {
        let causal = Tensor(rows: [[0, 1, 1], [0, 0, 1], [0, 0, 0]])   // 1 = future position
        let scores = Tensor.randn([2, 3, 3], generator: g, requiresGrad: true)
        let filled = scores.maskedFill(mask: causal, value: -.infinity)
        #expect(filled[1, 0, 2] == -.infinity && filled[1, 2, 0] == scores[1, 2, 0])
        #expect(filled.softmax()[0, 0, 0] == 1)
        #expect(gradCheck([scores]) { $0[0].maskedFill(mask: causal, value: -3) }.passed)
        let rowMask = Tensor([1, 0, 0], shape: [3, 1])
        #expect(gradCheck([scores]) { $0[0].maskedFill(mask: rowMask, value: 2) }.passed)
        let y = scores.maskedFill(mask: rowMask, value: 0)
        y.sum().backward()
        #expect(scores.grad?.scalars == (0..<18).map { ($0 % 9) < 3 ? 0 : 1 })
    }

    @Test func whereValuesAndBroadcastGradients() {
        let c = Tensor([1, 0, 1], shape: [3, 1])
        let a = Tensor.randn([2, 3, 4], generator: g, requiresGrad: true)
        let b = Tensor.randn([4], generator: g, requiresGrad: true)
        let y = Tensor.where(c, a, b)
        #expect(y.shape == [2, 3, 4])
        #expect(y[1, 0, 2] == a[1, 0, 2] && y[1, 1, 2] == b[2] && y[0, 2, 3] == a[0, 2, 3])
        #expect(gradCheck([a, b]) { Tensor.where(c, $0[0], $0[1]) }.passed)
        let small = Tensor([5, 6], shape: [2, 1, 1], requiresGrad: true)
        #expect(gradCheck([small, b]) { Tensor.where(c.reshape([1, 3, 1]), $0[0], $0[1]) }.passed)
        #expect(Tensor.where(Tensor([0, 1]), Tensor([1, 2]), Tensor(scalar: 9)).scalars == [9, 2])
    }
}
