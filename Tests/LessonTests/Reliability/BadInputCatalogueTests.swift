import Foundation
import MiniTorch
import Testing

// The bad input catalogue: what each lesson executable says to a bad flag, an impossible batch
// size, a learning rate of 0 or NaN, a folder it cannot write, a damaged pretrained model.
// Every row runs the real executable and checks that it stops with status 2 (bad flags) or 1
// (the run failed), one `error:` line (plus the `try --help` hint for flags), and no trap or
// stack trace. MiniTorch's own shape errors, op family by op family, are in OpErrorCatalogueTests.

/// One line per lesson: what its flags accept, from which the catalogue derives the bad values.
struct LessonFlags: Sendable, CustomTestStringConvertible {
    var folder: String
    /// Training examples, the largest `--per-device-train-batch-size`; nil when it has no such flag.
    var trainingExamples: Int?
    /// What `--num-train-epochs` accepts; nil when it has no such flag.
    var epochs: ClosedRange<Int>?
    /// Whether it loads lesson 06's pretrained model (`--pretrained-dir`).
    var pretrained = false
    /// Flags for a run of a few seconds that still writes every file (the determinism test).
    var quick: [String]
    /// Whether it has a `--learning-rate` flag (lesson 12 trains no model).
    var learningRate = true

    var testDescription: String { folder }
}

/// Every lesson: adding a lesson to the catalogue is adding its line here.
let catalogueLessons: [LessonFlags] = [
    LessonFlags(folder: "01-learning-curves", trainingExamples: 480, epochs: 1...1000, quick: ["--num-train-epochs", "3"]),
    LessonFlags(folder: "02-batches-vs-epochs", trainingExamples: 200, epochs: 1...1000, quick: ["--num-train-epochs", "5"]),
    LessonFlags(folder: "03-lr-schedules", quick: ["--max-steps", "30", "--warmup-steps", "3"]),
    LessonFlags(folder: "04-gradient-accumulation", epochs: 1...100, quick: ["--num-train-epochs", "1"]),
    LessonFlags(folder: "05-overfitting", trainingExamples: 200, epochs: 3...10_000, quick: ["--num-train-epochs", "12", "--hidden-size", "16"]),
    LessonFlags(folder: "06-masked-language-modeling", trainingExamples: 3600, epochs: 1...1000,
                quick: ["--max-steps", "60", "--warmup-steps", "10", "--eval-steps", "10", "--comparison-epochs", "1"]),
    LessonFlags(folder: "07-lora", trainingExamples: 800, epochs: 1...200, pretrained: true,
                quick: ["--num-train-epochs", "1", "--lora-r", "8", "--full-learning-rates", "3e-4"]),
    LessonFlags(folder: "08-qlora", trainingExamples: 800, epochs: 1...50, pretrained: true,
                quick: ["--num-train-epochs", "1", "--fine-tune-seeds", "1"]),
    LessonFlags(folder: "09-class-imbalance", trainingExamples: 1600, epochs: 1...500, quick: ["--num-train-epochs", "1"]),
    LessonFlags(folder: "10-stable-training", quick: ["--max-steps", "60", "--bad-batch-step", "20"]),
    LessonFlags(folder: "11-monitoring", trainingExamples: 800, epochs: 1...200, pretrained: true,
                quick: ["--num-train-epochs", "1", "--logging-steps", "8"]),
    LessonFlags(folder: "12-tokenization", quick: ["--vocab-size", "512"], learningRate: false),
    LessonFlags(folder: "13-gpt-pretraining", trainingExamples: 512, quick: ["--max-steps", "20", "--eval-steps", "10", "--warmup-steps", "5",
                                                                               "--overfit-steps", "10", "--max-eval-samples", "96"]),
    // Its quick run pretrains a 20-step base of its own (in its --out folder), not lesson 13's.
    LessonFlags(folder: "14-instruction-tuning", trainingExamples: 512,
                quick: ["--method", "lora", "--max-steps", "5", "--warmup-steps", "1", "--base-max-steps", "20", "--base-model", "none-here",
                        "--train-per-task", "50", "--held-out-per-task", "2"]),
    // Two ranks under mpirun, as the default run.
    LessonFlags(folder: "15-data-parallel", trainingExamples: 256,
                quick: ["--max-steps", "4", "--equivalence-steps", "2", "--per-device-train-batch-size", "2"]),
]

/// One row of the catalogue: the flags, the status and the first line of standard error.
struct BadInput: Sendable, CustomStringConvertible {
    enum Message: Sendable {
        case exactly(String)
        case startsWith(String)
    }
    var arguments: [String]
    var status: Int32
    var message: Message

    init(_ arguments: [String], _ status: Int32, _ message: String) {
        self.arguments = arguments
        self.status = status
        self.message = .exactly(message)
    }

    init(_ arguments: [String], _ status: Int32, startsWith message: String) {
        self.arguments = arguments
        self.status = status
        self.message = .startsWith(message)
    }

    var description: String { arguments.joined(separator: " ") }

    func matches(_ line: String) -> Bool {
        switch message {
        case .exactly(let text): line == text
        case .startsWith(let text): line.hasPrefix(text)
        }
    }
}

/// The `--out` rows' targets, made in each row's scratch folder (the lesson's working folder).
let regularFile = "a-regular-file"
let damagedModelFolder = "damaged-pretrained"
let emptyModelFolder = "empty-pretrained"
/// Lesson 06 model folders that disagree with themselves, each with the start of its message.
let inconsistentModels: [(folder: String, message: String)] = [
    ("config-vocab", "config-vocab/model/config.json: vocab_size is 13, but config-vocab/model/model.safetensors has roberta.embeddings.word_embeddings.weight of shape [12, 16]"),
    ("missing-tensor", "missing-tensor/model/model.safetensors: does not match RobertaForMaskedLM: missing lm_head.bias"),
    ("model-type", "model-type/model/config.json: model_type \"bert\" is not a RoBERTa (MiniTorch reads \"roberta\" here)"),
    ("tokenizer-size", "tokenizer-size/model: config.json has vocab_size 12, tokenizer.json 11 tokens"),
]

/// The rows every lesson gets, from its line in `catalogueLessons`.
func commonBadInputs(_ lesson: LessonFlags) -> [BadInput] {
    let flag = 2 as Int32, run = 1 as Int32
    let lr = "--learning-rate"
    var rows = [
        BadInput(["--bogus-flag", "1"], flag, startsWith: "error: unknown option '--bogus-flag'"),
        BadInput(["--seed", "-1"], flag, "error: --seed must be at least 0 (got -1)"),
        BadInput(["--seed", "1.5"], flag, "error: the value '1.5' is invalid for '--seed <seed>'"),
        BadInput(["--out", ""], flag, "error: --out must name a folder (got an empty string)"),
        BadInput(["--out", "\(regularFile)/run"], run,
                 "error: cannot write to --out \(regularFile)/run: not a directory (\(regularFile) is a file); choose another folder with --out"),
        BadInput(["--out", "/proc/lesson-out"], run, startsWith: "error: cannot write to --out /proc/lesson-out: "),
    ]
    if lesson.learningRate {
        rows += [
            BadInput([lr, "abc"], flag, "error: the value 'abc' is invalid for '--learning-rate <learning-rate>'"),
            BadInput([lr, "nan"], flag, "error: --learning-rate must be a positive number (got nan)"),
            BadInput([lr, "inf"], flag, "error: --learning-rate must be a positive number (got inf)"),
            BadInput([lr, "0"], flag, "error: --learning-rate must be a positive number (got 0.0)"),
            BadInput([lr, "-1"], flag, "error: --learning-rate must be a positive number (got -1.0)"),
            BadInput([lr], flag, "error: missing value for '--learning-rate <learning-rate>'"),
        ]
    }
    if let n = lesson.trainingExamples {
        let b = "--per-device-train-batch-size"
        rows += [
            BadInput([b, "0"], flag, "error: \(b) must be between 1 and \(n) (got 0)"),
            BadInput([b, "\(n + 1)"], flag, "error: \(b) must be between 1 and \(n) (got \(n + 1))"),
            BadInput([b, "eight"], flag, "error: the value 'eight' is invalid for '\(b) <per-device-train-batch-size>'"),
        ]
    }
    if let range = lesson.epochs {
        let e = "--num-train-epochs"
        rows += [
            BadInput([e, "-1"], flag, "error: \(e) must be between \(range.lowerBound) and \(range.upperBound) (got -1)"),
            BadInput([e, "\(range.upperBound + 1)"], flag,
                     "error: \(e) must be between \(range.lowerBound) and \(range.upperBound) (got \(range.upperBound + 1))"),
            BadInput([e, "2.5"], flag, "error: the value '2.5' is invalid for '\(e) <num-train-epochs>'"),
        ]
    }
    if lesson.pretrained {
        let fix = "; delete it to pretrain again, or rerun lesson-06-masked-language-modeling"
        rows += [
            BadInput(["--pretrained-dir", damagedModelFolder], run,
                     "error: lesson 06's model is damaged: \(damagedModelFolder)/model/model.safetensors: header says 1,000 bytes, file has 10 after the 8-byte length\(fix)"),
            BadInput(["--pretrained-dir", emptyModelFolder], run,
                     "error: lesson 06's model is damaged: \(emptyModelFolder)/model/model.safetensors: file has 0 bytes, too few for the 8-byte header length\(fix)"),
        ]
        rows += inconsistentModels.map { BadInput(["--pretrained-dir", $0.folder], run, startsWith: "error: lesson 06's model is damaged: \($0.message)") }
    }
    return rows
}

/// Rows for a lesson's own flags and its own ways to fail.
let lessonBadInputs: [String: [BadInput]] = [
    "01-learning-curves": [
        BadInput(["--learning-rate", "1e30"], 1, "error: the loss became NaN at step 1 of 450 (training); try a lower --learning-rate"),
        BadInput(["--logging-steps", "0"], 2, "error: --logging-steps must be at least 1 (got 0)"),
    ],
    "02-batches-vs-epochs": [
        BadInput(["--target-loss", "0"], 2, "error: --target-loss must be a positive number (got 0.0)"),
        BadInput(["--learning-rate", "1e30"], 1, "error: the loss became NaN at step 1 of 24100 (3 runs); try a lower --learning-rate"),
    ],
    "03-lr-schedules": [
        BadInput(["--lr-scheduler-type", "exponential"], 2, startsWith: "error: --lr-scheduler-type must be one of "),
        BadInput(["--warmup-steps", "100", "--max-steps", "100"], 2, "error: --warmup-steps (100) must be less than --max-steps (100)"),
        BadInput(["--max-steps", "0"], 2, "error: --max-steps must be between 1 and 10000 (got 0)"),
        BadInput(["--learning-rate", "1e-8"], 2, "error: --learning-rate must be above 1e-7, the polynomial schedule's end rate (got 1e-08)"),
    ],
    "04-gradient-accumulation": [
        BadInput(["--per-device-train-batch-size", "0"], 2, "error: --per-device-train-batch-size must be at least 1 (got 0)"),
        BadInput(["--per-device-train-batch-size", "64", "--gradient-accumulation-steps", "64"], 2,
                 startsWith: "error: --per-device-train-batch-size x --gradient-accumulation-steps (4096) must not exceed the "),
        BadInput(["--gradient-accumulation-steps", "0"], 2, "error: --gradient-accumulation-steps must be between 1 and 64 (got 0)"),
        BadInput(["--learning-rate", "1e30"], 1, "error: the big_batch_loss became NaN at step 2 of 180 (training 3 runs); try a lower --learning-rate"),
    ],
    "05-overfitting": [
        BadInput(["--erratic-batch-size", "201"], 2, "error: --erratic-batch-size must be between 1 and 200 (got 201)"),
        BadInput(["--dropout", "1"], 2, "error: --dropout must be at least 0.0 and below 1.0 (got 1.0)"),
        BadInput(["--weight-decay", "nan"], 2, "error: --weight-decay must be between 0.0 and 10.0 (got nan)"),
    ],
    "06-masked-language-modeling": [
        BadInput(["--mlm-probability", "0"], 2, "error: --mlm-probability must be above 0.0 and below 1.0 (got 0.0)"),
        BadInput(["--adam-beta2", "1"], 2, "error: --adam-beta2 must be at least 0.0 and below 1.0 (got 1.0)"),
        BadInput(["--max-steps", "0"], 2, "error: --max-steps must be between 1 and 1000000 (got 0)"),
        BadInput(["--eval-steps", "0"], 2, "error: --eval-steps must be between 1 and 1000000 (got 0)"),
        BadInput(["--comparison-epochs", "0"], 2, "error: --comparison-epochs must be between 1 and 1000 (got 0)"),
        // Checkpoints (HF save_steps, save_total_limit, resume_from_checkpoint); damaged ones
        // and ones from other flags are in CheckpointResumeTests.
        BadInput(["--save-steps", "-1"], 2, "error: --save-steps must be at least 1 (got -1)"),
        BadInput(["--save-steps", "0"], 2, "error: --save-steps must be at least 1 (got 0)"),
        BadInput(["--save-steps", "ten"], 2, "error: the value 'ten' is invalid for '--save-steps <save-steps>'"),
        BadInput(["--save-steps", "10", "--save-total-limit", "0"], 2, "error: --save-total-limit must be at least 1 (got 0)"),
        BadInput(["--save-total-limit", "2"], 2, "error: --save-total-limit needs --save-steps (without it no checkpoint is saved)"),
        BadInput(["--resume-from-checkpoint", ""], 2,
                 "error: --resume-from-checkpoint must name a checkpoint folder or latest (got an empty string)"),
        BadInput(["--resume-from-checkpoint"], 2, "error: missing value for '--resume-from-checkpoint <folder|latest>'"),
        BadInput(["--resume-from-checkpoint", "latest"], 1,
                 "error: --resume-from-checkpoint latest: no checkpoint-<step> folder in out; save some with --save-steps first (and the same --out)"),
        BadInput(["--resume-from-checkpoint", "no-such-checkpoint"], 1,
                 "error: --resume-from-checkpoint no-such-checkpoint: no such folder; pass a folder written by --save-steps, or latest"),
        BadInput(["--resume-from-checkpoint", regularFile], 1,
                 "error: --resume-from-checkpoint \(regularFile): is a file, not a checkpoint folder; pass a folder written by --save-steps, or latest"),
        BadInput(["--resume-from-checkpoint", emptyModelFolder], 1,
                 "error: --resume-from-checkpoint \(emptyModelFolder): no trainer_state.json there; pass a folder written by --save-steps, or latest"),
    ],
    "07-lora": [
        BadInput(["--lora-r", "4"], 2, "error: --lora-r must include 8 (the adapter that is merged and saved)"),
        BadInput(["--lora-r", "8,x"], 2, "error: the value '8,x' is invalid for '--lora-r <lora-r>'"),
        BadInput(["--full-learning-rates", "0"], 2, "error: --full-learning-rates must all be positive (got 0.0)"),
    ],
    "08-qlora": [
        BadInput(["--quant-type", "nf5"], 2, "error: --quant-type must be one of nf4, fp4, int4 (got nf5)"),
        BadInput(["--lora-r", "0"], 2, "error: --lora-r must be between 1 and 64 (got 0)"),
        BadInput(["--optimizer-budget-kib", "1"], 2, startsWith: "error: --optimizer-budget-kib must hold at least two pages"),
    ],
    "09-class-imbalance": [
        BadInput(["--minority-share", "0.9"], 2, "error: --minority-share must be between 0.05 and 0.5 (got 0.9)"),
        BadInput(["--class-weights", "inverse"], 2, "error: --class-weights must be one of none, balanced (got inverse)"),
    ],
    "10-stable-training": [
        BadInput(["--bad-batch-step", "600"], 2, "error: --bad-batch-step must be between 1 and 500 (got 600)"),
        BadInput(["--max-grad-norm", "0"], 2, "error: --max-grad-norm must be a positive number (got 0.0)"),
        BadInput(["--max-steps", "0"], 2, "error: --max-steps must be between 1 and 20000 (got 0)"),
    ],
    "12-tokenization": [
        BadInput(["--vocab-size", "100"], 2, "error: --vocab-size must be between 259 and 16384 (got 100)"),
        BadInput(["--held-out-work", "hamlet"], 1,
                 "error: --held-out-work hamlet is not a held-out work; choose one of julius_caesar, twelfth_night, macbeth, much_ado_about_nothing"),
        BadInput(["--example-word", "two words"], 2,
                 "error: --example-word must be one pre-tokenisation piece, such as \" understanding\" (got \"two words\")"),
    ],
    "13-gpt-pretraining": [
        BadInput(["--threads", "3"], 2, "error: --threads must be between 1 and 2 (got 3)"),
        BadInput(["--dropout", "1"], 2, "error: --dropout must be in [0, 1) (got 1.0)"),
        BadInput(["--n-embd", "100", "--n-head", "3"], 2,
                 "error: --n-embd (100) must be a multiple of --n-head (3): each head gets n_embd / n_head dimensions"),
        BadInput(["--n-layer", "0"], 2, "error: --n-layer must be between 1 and 48 (got 0)"),
        BadInput(["--warmup-steps", "2000"], 2, "error: --warmup-steps must be between 0 and 1600 (got 2000)"),
        BadInput(["--learning-rate", "1e30", "--max-steps", "20", "--eval-steps", "10", "--warmup-steps", "5"], 1,
                 startsWith: "error: the loss became NaN at step "),
    ],
    "14-instruction-tuning": [
        BadInput(["--method", "dpo"], 2, "error: --method must be full, lora, qlora or all (got dpo)"),
        BadInput(["--lora-target-modules", "query"], 2,
                 "error: --lora-target-modules must list some of c_attn, c_proj, c_fc, lm_head, attn.c_proj, mlp.c_proj (got query)"),
        BadInput(["--lora-r", "0"], 2, "error: --lora-r must be between 1 and 1024 (got 0)"),
        BadInput(["--tasks", "rhyme"], 2, "error: --tasks must list some of speaker, play, first_word, last_word (got rhyme)"),
        BadInput(["--lora-target-modules", "none"], 2,
                 "error: --lora-target-modules must list some of c_attn, c_proj, c_fc, lm_head, attn.c_proj, mlp.c_proj (got none)"),
        BadInput(["--warmup-steps", "400"], 2, "error: --warmup-steps must be between 0 and 300 (got 400)"),
        BadInput(["--base-model", "\(emptyModelFolder)/model"], 1, startsWith: "error: \(emptyModelFolder)/model holds no model of lesson 13's ("),
        BadInput(["--learning-rate", "1e30", "--method", "lora", "--max-steps", "5", "--warmup-steps", "1", "--base-max-steps", "20",
                  "--base-model", "none-here", "--train-per-task", "50", "--held-out-per-task", "2"], 1,
                 "error: the loss became NaN at step 5 of 7 (steps); try a lower --learning-rate"),
    ],
    "15-data-parallel": [
        BadInput(["--nproc-per-node", "0"], 2, "error: --nproc-per-node must be between 1 and 8 (got 0)"),
        BadInput(["--timeout", "0"], 2, "error: --timeout must be a positive number (got 0.0)"),
        BadInput(["--skip-learning-rates=yes"], 2, "error: --skip-learning-rates takes no value (got 'yes')"),
        BadInput(["--learning-rate", "1e30", "--max-steps", "4", "--equivalence-steps", "2", "--per-device-train-batch-size", "2"], 1,
                 "error: rank 0 of 2: the loss became NaN in the run \"one rank\" (learning rate 1e+30); try a lower --learning-rate"),
    ],
    "11-monitoring": [
        BadInput(["--logging-steps", "1000"], 2,
                 "error: --logging-steps (1000) must leave at least 3 evaluations in 300 steps for the diagnosis"),
        BadInput(["--max-grad-norm", "nan"], 2, "error: --max-grad-norm must be a positive number (got nan)"),
        BadInput(["--precision", "bf16"], 2, "error: --precision must be one of fp32, fp16 (got bf16)"),
        BadInput(["--warmup-ratio", "1"], 2, "error: --warmup-ratio must be at least 0.0 and below 1.0 (got 1.0)"),
    ],
]

/// Prepares a row's scratch folder: a regular file to put `--out` under, damaged models.
func prepareScratch(_ folder: URL) throws {
    try Data("not a folder\n".utf8).write(to: folder.appendingPathComponent(regularFile))
    let damaged = folder.appendingPathComponent(damagedModelFolder).appendingPathComponent("model")
    try FileManager.default.createDirectory(at: damaged, withIntermediateDirectories: true)
    // A header length of 1,000 (8 bytes, little-endian) and then only 10 bytes: a copy cut short.
    var truncated = Data([0xE8, 0x03, 0, 0, 0, 0, 0, 0])
    truncated.append(Data("{\"__metada".utf8))
    try truncated.write(to: damaged.appendingPathComponent("model.safetensors"))
    let empty = folder.appendingPathComponent(emptyModelFolder).appendingPathComponent("model")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    try Data().write(to: empty.appendingPathComponent("model.safetensors"))
    try writeInconsistentModels(in: folder)
}

/// A small, valid lesson-06-style folder (config, weights, tokenizer), then one broken copy per
/// row of `inconsistentModels`.
func writeInconsistentModels(in folder: URL) throws {
    let tokenizer = WordTokenizer(corpus: ["paris is in france .", "rome is in italy ."])   // 12 tokens
    let config = RobertaConfig(vocabSize: tokenizer.vocabSize, hiddenSize: 16, numHiddenLayers: 1, numAttentionHeads: 2,
                               intermediateSize: 32, maxPositionEmbeddings: 12)
    for (name, _) in inconsistentModels {
        let model = folder.appendingPathComponent(name).appendingPathComponent("model")
        try RobertaForMaskedLM(config: config, generator: Generator(seed: 1)).savePretrained(model, tokenizer: tokenizer)
        func edit(_ file: String, _ change: (inout [String: Any]) -> Void) throws {
            let url = model.appendingPathComponent(file)
            var json = try ConfigJSON.read(url)
            change(&json)
            try ConfigJSON.encode(json).write(to: url)
        }
        switch name {
        case "config-vocab": try edit("config.json") { $0["vocab_size"] = tokenizer.vocabSize + 1 }
        case "model-type": try edit("config.json") { $0["model_type"] = "bert" }
        case "tokenizer-size":
            try edit("tokenizer.json") { json in
                var m = json["model"] as! [String: Any]
                m["vocab"] = (m["vocab"] as! [String: Any]).filter { ($0.value as! NSNumber).intValue < tokenizer.vocabSize - 1 }
                json["model"] = m
            }
        default:
            let weights = model.appendingPathComponent("model.safetensors")
            let kept = try Safetensors.load(from: weights).tensors.filter { $0.key != "lm_head.bias" }
            try Safetensors.save(kept.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, to: weights)
        }
    }
}

@Suite struct BadInputCatalogueTests {
    static let hint = "try --help to see every option and its default"

    @Test func everyLessonHasALineInTheCatalogue() {
        let listed = Set(catalogueLessons.map(\.folder))
        for lesson in presentLessons() {
            #expect(listed.contains(lesson), "add a LessonFlags line for \(lesson) to catalogueLessons")
        }
    }

    @Test(arguments: catalogueLessons)
    func badInputsStopWithOneLine(_ lesson: LessonFlags) async throws {
        try #require(presentLessons().contains(lesson.folder), "catalogueLessons lists \(lesson.folder), which has no Lessons/\(lesson.folder)/main.swift")
        let executable = try requireLessonExecutable(lesson.folder)
        let rows = commonBadInputs(lesson) + (lessonBadInputs[lesson.folder] ?? [])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, row) in rows.enumerated() {
                group.addTask {
                    let scratch = scratchFolder("catalogue/\(lesson.folder)/\(index)")
                    try prepareScratch(scratch)
                    // Never the default runs/ folder, even if a bad value got through; and
                    // a damaged model, so a lesson that wrongly accepts a value fails in a second
                    // instead of pretraining and running for minutes.
                    var arguments = ["--quiet"]
                    if !row.arguments.contains("--out") { arguments += ["--out", "out"] }
                    if lesson.pretrained && !row.arguments.contains("--pretrained-dir") {
                        arguments += ["--pretrained-dir", damagedModelFolder]
                    }
                    let result = try await LessonProcess(executable, arguments + row.arguments, scratch: scratch)
                        .run(timeout: 300)
                    Self.check(result, row, lesson: lesson.folder)
                    try? FileManager.default.removeItem(at: scratch)
                }
            }
            try await group.waitForAll()
        }
    }

    static func check(_ result: LessonRunResult, _ row: BadInput, lesson: String) {
        let what = "lesson-\(lesson) \(row)"
        #expect(!result.timedOut, "\(what): still running after 300 s")
        #expect(result.exitedNormally, "\(what): ended by a signal (a trap?): \(result.standardError)")
        #expect(result.crashText == nil, "\(what): crash text in the output: \(result.standardError)")
        #expect(result.status == row.status, "\(what): status \(result.status), expected \(row.status): \(result.standardError)")
        let lines = result.errorLines
        let hintOK = row.status == 2 ? (lines.count == 2 && lines[1] == hint) : lines.count == 1
        #expect(hintOK, "\(what): expected one error line\(row.status == 2 ? " and the --help hint" : ""), got \(lines)")
        let first = lines.first ?? ""
        #expect(row.matches(first), "\(what): got \"\(first)\", expected \(row.message)")
    }
}
