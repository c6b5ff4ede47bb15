// swift-tools-version: 6.0
// One package: the MiniTorch library, the lesson kit, one executable per lesson, tools and tests.
import Foundation
import PackageDescription

/// Lessons in course order: folder under Lessons/, the module that holds the lesson's logic
/// (tests import it), and the executable `lesson-<folder>` whose main.swift only parses and prints.
/// The list is written out, not read from the disk: SwiftPM caches the manifest by its text, so a
/// folder that appeared later would stay invisible until the cache was dropped.
let lessons: [(folder: String, module: String)] = [
    ("01-learning-curves", "LearningCurves"),
    ("02-batches-vs-epochs", "BatchesVsEpochs"),
    ("03-lr-schedules", "LRSchedules"),
    ("04-gradient-accumulation", "GradientAccumulation"),
    ("05-overfitting", "Overfitting"),
    ("06-masked-language-modeling", "MaskedLanguageModeling"),
    ("07-lora", "LoRALesson"),
    ("08-qlora", "QLoRALesson"),
    ("09-class-imbalance", "ClassImbalance"),
    ("10-stable-training", "StableTraining"),
    ("11-monitoring", "Monitoring"),
    ("12-tokenization", "TokenizationLesson"),
    ("13-gpt-pretraining", "GPTPretraining"),
    ("14-instruction-tuning", "InstructionTuning"),
    ("15-data-parallel", "DataParallel"),
]

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

/// A plain `swift run lesson-NN-...` builds in debug, where Swift leaves the numeric loops
/// unoptimised and a lesson runs several times slower. The library and the lessons are compiled
/// with `-O` in debug too, so that command runs close to `-c release` (the same numbers: Swift
/// never reorders float arithmetic), and `make test` and `make book` use that same build (debug
/// builds have testability on). Tests and tools keep the debug defaults.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

var targets: [Target] = [
    .systemLibrary(
        name: "COpenBLAS",
        pkgConfig: "openblas",
        providers: [.apt(["libopenblas-dev"])]
    ),
    .target(name: "MiniTorch", dependencies: ["COpenBLAS"], swiftSettings: optimizedInDebug),
    // Open MPI for lesson 15's ranks. Only MiniTorchMPI links it: MiniTorch (and its Distributed/
    // algorithms, written against the `Communicator` protocol) builds without it.
    .systemLibrary(
        name: "CMPI",
        pkgConfig: "ompi-c",
        providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]
    ),
    .target(name: "MiniTorchMPI", dependencies: ["MiniTorch", "CMPI"], swiftSettings: optimizedInDebug),
    .target(name: "Workbook", dependencies: ["MiniTorch", argumentParser], swiftSettings: optimizedInDebug),   // MiniTorch: its AtomicFile
    .target(name: "BookBuilder"),
    .executableTarget(name: "book", dependencies: ["BookBuilder", argumentParser]),
    .executableTarget(name: "bench", dependencies: ["MiniTorch", "COpenBLAS", "Workbook"]),
    .testTarget(name: "MiniTorchTests", dependencies: ["MiniTorch", "COpenBLAS"]),
    .testTarget(name: "WorkbookTests", dependencies: ["Workbook"]),
    .testTarget(name: "BookBuilderTests", dependencies: ["BookBuilder"]),
    .target(name: "Grader"),
    .executableTarget(name: "grade", dependencies: ["Grader", argumentParser]),
    .testTarget(name: "GraderTests", dependencies: ["Grader"]),
    .testTarget(
        name: "ExerciseTests",
        dependencies: ["MiniTorch", "Workbook"] + lessons.map { .target(name: $0.module) }
    ),
    .testTarget(
        name: "LessonTests",
        dependencies: ["MiniTorch", "Workbook", "BookBuilder"] + lessons.map { .target(name: $0.module) }
    ),
]

/// Lessons that build on an earlier lesson's code (07 and 08 start from lesson 06's pretrained
/// encoder; 11 watches a fine-tune of that encoder, with lesson 10's loss scaler, and reads its curves with
/// lesson 05's diagnosis; 14 fine-tunes lesson 13's GPT).
let extraDependencies: [String: [String]] = [
    "LoRALesson": ["MaskedLanguageModeling"],
    "QLoRALesson": ["MaskedLanguageModeling", "LoRALesson"],
    "Monitoring": ["Overfitting", "MaskedLanguageModeling", "LoRALesson", "StableTraining"],
    "InstructionTuning": ["GPTPretraining"],
    "DataParallel": ["GPTPretraining", "MiniTorchMPI"],
]

/// The files of a lesson folder that belong to its library (and chapter), which the executable
/// beside them excludes so SwiftPM does not warn that it leaves them unhandled. Read when the
/// manifest is evaluated; a file added later only brings the warning back until then.
func libraryFiles(in path: String) -> [String] {
    let folder = Context.packageDirectory + "/" + path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0 != "main.swift" && !$0.hasPrefix(".") }.sorted()
}

for lesson in lessons {
    let path = "Lessons/\(lesson.folder)"
    let extra = extraDependencies[lesson.module] ?? []
    targets.append(.target(
        name: lesson.module,
        dependencies: ["MiniTorch", "Workbook"] + extra.map { .target(name: $0) },
        path: path,
        exclude: ["main.swift", "chapter.md"],
        swiftSettings: optimizedInDebug
    ))
    targets.append(.executableTarget(
        name: "lesson-\(lesson.folder)",
        dependencies: [.target(name: lesson.module), "MiniTorch", "Workbook"],
        path: path,
        exclude: libraryFiles(in: path),
        sources: ["main.swift"],
        swiftSettings: optimizedInDebug
    ))
}

let package = Package(
    name: "MiniTorchWorkbook",
    platforms: [.macOS(.v15)],
    products: [.library(name: "MiniTorch", targets: ["MiniTorch"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: targets
)
