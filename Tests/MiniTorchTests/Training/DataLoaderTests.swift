import Testing
@testable import MiniTorch

@Suite("Data sets, DataLoader and splits")
struct DataLoaderTests {
    /// 203 examples whose single feature is their own index, so a batch shows which rows it holds.
    func numbered(_ n: Int = 203) -> TensorDataset {
        TensorDataset(features: Tensor((0..<n).map(Float.init), shape: [n, 1]), labels: (0..<n).map { $0 % 3 })
    }

    func visited(_ loader: DataLoader<TensorDataset, Batch>, epoch: Int) -> [Int] {
        loader.epoch(epoch).flatMap { batch in batch.inputs.scalars.map { Int($0) } }
    }

    @Test(arguments: [false, true])
    func everyExampleOncePerEpochKeepLast(shuffle: Bool) {
        let loader = DataLoader(numbered(), batchSize: 5, shuffle: shuffle, seed: 7)
        #expect(loader.count == 41)
        let batches = Array(loader.epoch(0))
        #expect(batches.count == 41)
        #expect(batches.dropLast().allSatisfy { $0.inputs.shape == [5, 1] && $0.labels.count == 5 })
        #expect(batches.last?.inputs.shape == [3, 1])
        let seen = visited(loader, epoch: 0)
        #expect(seen.sorted() == Array(0..<203))
        #expect(seen == Array(0..<203) ? !shuffle : shuffle)
        // Labels travel with their rows.
        for batch in batches { #expect(batch.labels == batch.inputs.scalars.map { Int($0) % 3 }) }
    }

    @Test(arguments: [false, true])
    func dropLastDropsOnlyTheShortBatch(shuffle: Bool) {
        let loader = DataLoader(numbered(), batchSize: 5, shuffle: shuffle, dropLast: true, seed: 7)
        #expect(loader.count == 40)
        let seen = visited(loader, epoch: 2)
        #expect(seen.count == 200)
        #expect(Set(seen).count == 200)
        // The 3 left out are exactly the tail of this epoch's order.
        #expect(Set(loader.order(epoch: 2).suffix(3)).isDisjoint(with: seen))
        // 200 examples divide evenly: nothing is dropped.
        #expect(DataLoader(numbered(200), batchSize: 5, dropLast: true).count == 40)
    }

    @Test func shuffleDependsOnlyOnSeedAndEpoch() {
        let a = DataLoader(numbered(), batchSize: 5, shuffle: true, seed: 42)
        let b = DataLoader(numbered(), batchSize: 5, shuffle: true, seed: 42)
        let c = DataLoader(numbered(), batchSize: 5, shuffle: true, seed: 43)
        #expect(a.order(epoch: 0) != a.order(epoch: 1))
        #expect(a.order(epoch: 1) != a.order(epoch: 2))
        #expect(visited(a, epoch: 3) == visited(b, epoch: 3))   // a fresh loader, straight to epoch 3
        #expect(a.order(epoch: 0) != c.order(epoch: 0))
        #expect(a.order(epoch: 1) != c.order(epoch: 0))          // seed + epoch do not alias
        // Resuming mid-epoch gives the remaining batches of the same order.
        let rest = a.epoch(3, fromBatch: 10).flatMap { $0.inputs.scalars.map { Int($0) } }
        #expect(rest == Array(visited(a, epoch: 3).dropFirst(50)))
        // Iterating the loader itself is epoch 0.
        #expect(a.flatMap { $0.inputs.scalars.map { Int($0) } } == visited(a, epoch: 0))
    }

    @Test func customCollateAndSubset() {
        let data = numbered(10).select([9, 8, 7, 6])
        #expect(data.count == 4)
        let loader = DataLoader(data, batchSize: 3) { examples in examples.map(\.label) }
        #expect(Array(loader) == [[0, 2, 1], [0]])
    }

    @Test func batchSizeZeroIsAClearError() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = DataLoader(TensorDataset(features: [[1]], labels: [0]), batchSize: 0)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text == "error: DataLoader: batch size must be at least 1 (got 0)\n")
        }
    }

    @Test func splitsHaveTheRightSizesAndAreDisjoint() {
        let (train, validation) = trainValidationSplit(count: 203, validationFraction: 0.2, seed: 1)
        #expect(validation.count == 41 && train.count == 162)
        #expect((train + validation).sorted() == Array(0..<203))
        #expect(trainValidationSplit(count: 203, validationFraction: 0.2, seed: 1).validation == validation)
        #expect(trainValidationSplit(count: 203, validationFraction: 0.2, seed: 2).validation != validation)
        let parts = randomSplit(count: 10, lengths: [5, 3, 2], seed: 3)
        #expect(parts.map(\.count) == [5, 3, 2])
        #expect(parts.flatMap { $0 }.sorted() == Array(0..<10))
    }

    @Test func stratifiedSplitKeepsClassShares() {
        // 80/20: 400 of class 0, 100 of class 1.
        let labels = (0..<500).map { $0 % 5 == 0 ? 1 : 0 }
        let (train, validation) = stratifiedSplit(labels: labels, validationFraction: 0.2, seed: 9)
        #expect(validation.count == 100 && train.count == 400)
        #expect(validation.filter { labels[$0] == 1 }.count == 20)
        #expect(train.filter { labels[$0] == 1 }.count == 80)
        #expect((train + validation).sorted() == Array(0..<500))
        // Not sorted by class.
        #expect(validation.prefix(20).contains { labels[$0] == 0 })
        #expect(stratifiedSplit(labels: labels, validationFraction: 0.2, seed: 9).train == train)
    }

    @Test func syntheticSetsAreSeededAndShaped() {
        let blobs = SyntheticData.blobs(count: 101, classes: 4, generator: Generator(seed: 5))
        #expect(blobs.features.shape == [101, 2] && blobs.numClasses == 4)
        #expect((0..<4).map { c in blobs.labels.filter { $0 == c }.count } == [26, 25, 25, 25])
        #expect(SyntheticData.blobs(count: 101, classes: 4, generator: Generator(seed: 5)).features.scalars == blobs.features.scalars)
        // Points lie near their class centre (radius 2, spread 0.5): mean of class 0 ~ (2, 0).
        let zero = (0..<101).filter { blobs.labels[$0] == 0 }
        let meanX = zero.map { blobs.features[$0, 0] }.reduce(0, +) / Float(zero.count)
        #expect(abs(meanX - 2) < 0.3)

        let imbalanced = SyntheticData.blobs(count: 500, proportions: [0.8, 0.2], generator: Generator(seed: 5))
        #expect(imbalanced.labels.filter { $0 == 1 }.count == 100)

        let spirals = SyntheticData.spirals(count: 300, classes: 3, generator: Generator(seed: 5))
        #expect(spirals.features.shape == [300, 2])
        #expect(spirals.features.scalars.allSatisfy { abs($0) <= 1 })
    }
}
