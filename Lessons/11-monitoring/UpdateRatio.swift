import Foundation
import MiniTorch

// The update-to-weight ratio, as CS231n's notes "Neural Networks Part 3: Learning and
// Evaluation" (Karpathy) define it: param_scale = ||W|| before the step, update_scale =
// ||W_after - W_before||, and "a rough heuristic is that this ratio should be somewhere around
// 1e-3": much lower, the learning rate may be too low; much higher, likely too high. The norms
// are taken over every element of a group (`np.linalg.norm(W.ravel())`).

/// A model's trainable parameters grouped by layer: "embeddings", "layer.0", "layer.1", ... for
/// an encoder's layers, and the first name component for the rest ("classifier"), in model order.
public func layerGroups(_ model: Module) -> [(name: String, parameters: [Tensor])] {
    var groups: [(name: String, parameters: [Tensor])] = []
    for (path, parameter) in model.namedParameters() where parameter.requiresGrad {
        let parts = path.split(separator: ".").map(String.init)
        let name: String
        if let i = parts.firstIndex(of: "layer"), i + 1 < parts.count, Int(parts[i + 1]) != nil {
            name = "layer.\(parts[i + 1])"
        } else if parts.contains("embeddings") {
            name = "embeddings"
        } else {
            name = parts[0]
        }
        if let k = groups.firstIndex(where: { $0.name == name }) {
            groups[k].parameters.append(parameter)
        } else {
            groups.append((name, [parameter]))
        }
    }
    return groups
}

// ANCHOR: ratio
/// ||after - before|| / ||before|| over every element of a group: `before` holds each
/// parameter's values before the optimizer step, `after` the parameters after it.
public func updateToWeightRatio(before: [[Float]], after: [Tensor]) -> Double {
    // BEGIN SOLUTION ex11_2
    precondition(before.count == after.count, "updateToWeightRatio: \(before.count) snapshots for \(after.count) parameters")
    var update = 0.0, weight = 0.0
    for (old, parameter) in zip(before, after) {
        let new = parameter.pointer
        for i in old.indices {
            let delta = Double(new[i]) - Double(old[i])
            update += delta * delta
            weight += Double(old[i]) * Double(old[i])
        }
    }
    return update.squareRoot() / weight.squareRoot()
    // END SOLUTION
}
// ANCHOR_END: ratio
