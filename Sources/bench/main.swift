// make bench: MiniTorch's speed as ratios against references measured in the same run
// (raw cblas_sgemm, plain loops) and against PyTorch's reference timings (shared/PERF.md).
//
//     .build-bench/release/bench                  everything (about 3 minutes on 2 cores)
//     .build-bench/release/bench --quick          fewer repeats (BENCH_QUICK=1 does the same)
//     .build-bench/release/bench --only step,matmul      parts: matmul overhead kernels step tokenizer gpt lessons
//     .build-bench/release/bench --profile tiny   three tiny steps and nothing else, for callgrind/perf (also small, gpt)
//     .build-bench/release/bench --profile small --threads 2      the same with 2 threads
//     .build-bench/release/bench --profile gpt --steps 30         more gpt steps, so perf sees the step more than the set-up
//     .build-bench/release/bench --profile gpt --layers 4         the gpt step at the issue's 4 layers (default: the lesson's)
//
// Writes book/build/bench/bench.json and, from the same numbers, book/appendix-performance.md.
import Foundation
import MiniTorch

let arguments = Array(CommandLine.arguments.dropFirst())
let quick = arguments.contains("--quick") || ProcessInfo.processInfo.environment["BENCH_QUICK"] == "1"
let only: Set<String>? = arguments.firstIndex(of: "--only").map { i in
    Set(arguments[i + 1].split(separator: ",").map(String.init))
}
func wanted(_ part: String) -> Bool { only?.contains(part) ?? true }

if let i = arguments.firstIndex(of: "--profile") {
    let threads = arguments.firstIndex(of: "--threads").flatMap { Int(arguments[$0 + 1]) } ?? 1
    if arguments[i + 1] == "gpt" {
        let steps = arguments.firstIndex(of: "--steps").flatMap { Int(arguments[$0 + 1]) } ?? 5
        let layers = arguments.firstIndex(of: "--layers").flatMap { Int(arguments[$0 + 1]) } ?? DecoderBench.config.nLayer
        let r = DecoderBench.timeStep(layers: layers, threads: threads, warmup: 1, steps: steps)
        print("gpt, \(layers) layers, \(threads) thread(s): \(fmt(r.msPerStep, 1)) ms / step, main thread CPU \(fmt(r.cpuMsPerStep, 1)) ms")
        exit(0)
    }
    let size = arguments[i + 1] == "small" ? StepSize.small : .tiny
    let r = timeTrainingStep(size, threads: threads, warmup: 1, steps: 2)
    print("\(size.name), \(threads) thread(s): \(fmt(r.msPerStep, 1)) ms / step, main thread CPU \(fmt(r.cpuMsPerStep, 1)) ms")
    exit(0)
}

var report = Report()
report.json["quick"] = quick
report.json["machine"] = Machine.description
report.json["load_average_at_start"] = Machine.loadAverage
print("\(Machine.description); load average \(fmt(Machine.loadAverage))\(quick ? "; quick mode" : "")\n")
if wanted("matmul") { report.matmul(quick: quick) }
if wanted("overhead") { report.overhead(quick: quick) }
if wanted("kernels") { report.kernels(quick: quick) }
if wanted("step") { report.trainingSteps(quick: quick) }
if wanted("tokenizer") { report.tokenizer(quick: quick) }
if wanted("gpt") { report.decoder(quick: quick) }
if wanted("lessons") { report.lessons() }
report.json["load_average_at_end"] = Machine.loadAverage

let dir = URL(fileURLWithPath: "book/build/bench")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
let data = try JSONSerialization.data(withJSONObject: report.json, options: [.prettyPrinted, .sortedKeys])
try data.write(to: dir.appendingPathComponent("bench.json"), options: .atomic)
print("wrote book/build/bench/bench.json")
if only == nil {
    try appendixPage(report).write(toFile: "book/appendix-performance.md", atomically: true, encoding: .utf8)
    print("wrote book/appendix-performance.md")
}
