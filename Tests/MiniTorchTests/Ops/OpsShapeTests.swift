import Testing
@testable import MiniTorch

@Suite("Ops: slicing, joining and indexing")
struct OpsShapeTests {
    let g = Generator(seed: 14)

    @Test func narrowAndSlice() {
        let x = Tensor((0..<24).map(Float.init), shape: [2, 3, 4], requiresGrad: true)
        let n = x.narrow(axis: 2, start: 1, length: 2)
        #expect(n.shape == [2, 3, 2])
        #expect(n.scalars == [1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22])
        #expect(x.narrow(axis: 1, start: -1, length: 1).scalars == [8, 9, 10, 11, 20, 21, 22, 23])
        #expect(x.slice(axis: 1, 1..<3).scalars == x.narrow(axis: 1, start: 1, length: 2).scalars)
        #expect(x.slice(axis: 0, 1...).shape == [1, 3, 4])
        #expect(x.slice(axis: -1, ...0).scalars == [0, 4, 8, 12, 16, 20])
        for axis in 0..<3 {
            #expect(gradCheck([x]) { $0[0].narrow(axis: axis, start: 1, length: 1) }.passed)
        }
    }

    @Test func concatAndStack() {
        let a = Tensor(rows: [[1, 2], [3, 4]], requiresGrad: true)
        let b = Tensor(rows: [[5], [6]], requiresGrad: true)
        #expect(Tensor.concat([a, b], axis: 1).scalars == [1, 2, 5, 3, 4, 6])
        #expect(Tensor.concat([a, a], axis: 0).scalars == [1, 2, 3, 4, 1, 2, 3, 4])
        #expect(Tensor.concat([a, b], axis: -1).shape == [2, 3])
        #expect(gradCheck([a, b]) { Tensor.concat([$0[0], $0[1], $0[0]], axis: 1) }.passed)
        let c = Tensor(rows: [[7, 8], [9, 10]])    // no gradient wanted
        #expect(gradCheck([a]) { Tensor.concat([c, $0[0]], axis: 0) }.passed)

        let s = Tensor.stack([a, c], axis: 1)
        #expect(s.shape == [2, 2, 2])
        #expect(s.scalars == [1, 2, 7, 8, 3, 4, 9, 10])
        #expect(Tensor.stack([a, c]).scalars == [1, 2, 3, 4, 7, 8, 9, 10])
        #expect(Tensor.stack([a, c], axis: -1).scalars == [1, 7, 2, 8, 3, 9, 4, 10])
        let x = Tensor.randn([2, 3], generator: g, requiresGrad: true)
        #expect(gradCheck([a, x.narrow(axis: 1, start: 0, length: 2).detach()]) { Tensor.stack([$0[0], $0[1]], axis: 2) }.passed)
    }

    @Test func splitAndChunk() {
        let x = Tensor((0..<10).map(Float.init), shape: [5, 2], requiresGrad: true)
        let parts = x.split(2)
        #expect(parts.map(\.shape) == [[2, 2], [2, 2], [1, 2]])
        #expect(parts[2].scalars == [8, 9])
        #expect(x.split(sizes: [1, 4]).map(\.shape) == [[1, 2], [4, 2]])
        #expect(x.chunk(2).map(\.shape) == [[3, 2], [2, 2]])
        #expect(x.chunk(2, axis: 1).map(\.scalars) == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]])
        #expect(Tensor.concat(x.chunk(3), axis: 0).scalars == x.scalars)
        #expect(gradCheck([x]) { xs in
            let p = xs[0].chunk(2, axis: 1)
            return p[0] * p[1]
        }.passed)
    }

    @Test func squeezeAndUnsqueeze() {
        let x = Tensor.randn([3, 4], generator: g, requiresGrad: true)
        #expect(x.unsqueeze(0).shape == [1, 3, 4])
        #expect(x.unsqueeze(-1).shape == [3, 4, 1])
        #expect(x.unsqueeze(1).squeeze(1).shape == [3, 4])
        #expect(Tensor.zeros([1, 3, 1]).squeeze().shape == [3])
        #expect(gradCheck([x]) { $0[0].unsqueeze(1).squeeze() }.passed)
    }

    @Test func indexSelectValuesAndRepeatedIndexGradient() {
        let w = Tensor(rows: [[1, 2], [3, 4], [5, 6]], requiresGrad: true)
        let e = w.indexSelect(axis: 0, indices: [2, 0, 2])
        #expect(e.shape == [3, 2])
        #expect(e.scalars == [5, 6, 1, 2, 5, 6])
        #expect(w.indexSelect(axis: 1, indices: [1]).scalars == [2, 4, 6])
        e.sum().backward()
        #expect(w.grad?.scalars == [1, 1, 0, 0, 2, 2])
        w.zeroGrad()
        let x = Tensor.randn([2, 3, 4], generator: g, requiresGrad: true)
        #expect(gradCheck([x]) { $0[0].indexSelect(axis: 1, indices: [2, 2, 0]) }.passed)
        #expect(gradCheck([x]) { $0[0].indexSelect(axis: 2, indices: [3, 1]) }.passed)
    }

    @Test func gatherValuesAndGradients() {
        let x = Tensor(rows: [[1, 2, 3], [4, 5, 6]], requiresGrad: true)
        // torch.gather(x, 1, [[2], [0]]) = [[3], [4]]
        let picked = x.gather(axis: 1, index: [2, 0], shape: [2, 1])
        #expect(picked.shape == [2, 1])
        #expect(picked.scalars == [3, 4])
        #expect(x.gather(axis: 1, index: [2, 0]).shape == [2, 1])    // shape inferred
        // torch.gather(x, 0, [[1, 0, 1]]) = [[4, 2, 6]]
        #expect(x.gather(axis: 0, index: [1, 0, 1], shape: [1, 3]).scalars == [4, 2, 6])
        #expect(x.gather(axis: 1, index: [0, 0, 1, 2, 2, 1], shape: [2, 3]).scalars == [1, 1, 2, 6, 6, 5])
        #expect(gradCheck([x]) { $0[0].gather(axis: 1, index: [2, 2, 0, 1], shape: [2, 2]) }.passed)
        let y = Tensor.randn([2, 3, 4], generator: g, requiresGrad: true)
        #expect(gradCheck([y]) { $0[0].gather(axis: 1, index: [0, 2, 1, 1, 2, 0, 0, 0], shape: [2, 1, 4]) }.passed)
    }
}
