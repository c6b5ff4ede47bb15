import Foundation
import MiniTorch

/// One instruction and its answer, as the guide stores them: a JSON line with `input` and
/// `output` keys (and, here, which task it is, so accuracy can be read per task).
public struct Instruction: Sendable, Equatable, Codable {
    public let task: InstructionTask
    public let input: String
    public let output: String

    public init(task: InstructionTask, input: String, output: String) {
        (self.task, self.input, self.output) = (task, input, output)
    }
}

/// The four tasks. Two ask what the text knows (who speaks a line, which play it is from), two
/// ask for a skill on a line the model is shown (name its first word, name its last word). Every
/// answer is in the corpus; none needs more than the line. (Writing the line in capitals was
/// tried first: every token maps to other, shorter tokens, and this small model learnt none of it
/// in the lesson's budget.)
public enum InstructionTask: String, Sendable, CaseIterable, Codable {
    case speaker, play, firstWord = "first_word", lastWord = "last_word"

    /// The tasks the lesson's default run teaches: one skill and one fact (see `Settings.tasks`).
    public static let lessonDefault: [InstructionTask] = [.firstWord, .play]

    /// The instruction's first line; the Shakespeare line follows it.
    public var question: String {
        switch self {
        case .speaker: "Who says this line?"
        case .play: "Which play is this line from?"
        case .firstWord: "What is the first word of this line?"
        case .lastWord: "What is the last word of this line?"
        }
    }

    /// Skills can be held out by whole works (a line of Macbeth tests them as well as any);
    /// the knowledge tasks cannot (a held-out play's title and speakers were never taught), so
    /// they hold out passages of the training works instead.
    public var isSkill: Bool { self == .firstWord || self == .lastWord }

    func answer(line: String, speaker: String, play: String) -> String {
        switch self {
        case .speaker: speaker
        case .play: play
        case .firstWord: words(of: line).first ?? ""
        case .lastWord: LastWord.of(line)
        }
    }
}

private enum LastWord { static func of(_ line: String) -> String { lastWord(of: line) } }

/// The last word of a line without its punctuation ("Draw, if you be men." -> "men").
public func lastWord(of line: String) -> String { words(of: line).last ?? "" }

/// The words of a line, punctuation trimmed ("'tis" -> "tis", "Lucilius:" -> "Lucilius").
func words(of line: String) -> [String] {
    line.split(separator: " ").map { $0.trimmingCharacters(in: .letters.inverted) }.filter { !$0.isEmpty }
}

/// A speech's first line with who says it, from which work, and where in that work.
struct SpokenLine {
    let line: String
    let speaker: String
    let work: String
    let index: Int   // speech number within the work
}

/// The speeches of one work: blocks separated by a blank line whose first line is a speaker
/// ("Benvolio.", "1 Citizen.", "Lady  Montague.") and whose next line is verse or prose. Stage
/// directions ("[Exit.]") are skipped. Only lines of 12 to `maxLength` characters are kept, so
/// an instruction, its answer and the template fit the model's 64 positions.
func spokenLines(_ work: ShakespeareCorpus.Work, maxLength: Int) -> [SpokenLine] {
    let text = String(decoding: work.text, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    var result: [SpokenLine] = []
    var index = 0
    for block in text.components(separatedBy: "\n\n") {
        let lines = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count >= 2, isSpeaker(lines[0]) else { continue }
        index += 1
        let line = lines[1]
        guard (12...maxLength).contains(line.count), !line.hasPrefix("["), line.allSatisfy(\.isASCII),
              !lastWord(of: line).isEmpty else { continue }
        let speaker = lines[0].dropLast().split(separator: " ").joined(separator: " ")   // "Lady  Montague." -> "Lady Montague"
        result.append(SpokenLine(line: line, speaker: speaker, work: work.name, index: index))
    }
    return result
}

private func isSpeaker(_ line: String) -> Bool {
    guard line.count >= 2, line.count <= 28, line.hasSuffix("."), let first = line.first, first.isUppercase || first.isNumber else { return false }
    let words = line.dropLast().split(separator: " ")
    return words.count <= 4 && words.allSatisfy { w in w.first!.isUppercase || w.first!.isNumber || w == "of" || w == "and" }
}

/// "romeo_and_juliet" -> "Romeo and Juliet", "henry_iv_part_1" -> "Henry IV Part 1".
public func playTitle(_ name: String) -> String {
    let small: Set<String> = ["and", "of", "the", "that", "for", "to", "a"]
    let roman: Set<String> = ["iv", "v", "vi", "viii", "ii", "iii"]
    return name.split(separator: "_").enumerated().map { i, w in
        let s = String(w)
        if roman.contains(s) { return s.uppercased() }
        if i > 0 && small.contains(s) { return s }
        return s.prefix(1).uppercased() + s.dropFirst()
    }.joined(separator: " ")
}

/// The instruction set: training, validation and test instructions, each task in each split.
public struct InstructionSet: Sendable {
    public let train: [Instruction]
    public let validation: [Instruction]
    public let test: [Instruction]

    /// Passages of this many consecutive speeches are held out together, so a held-out line's
    /// neighbours (same scene, same speakers talking) are held out with it.
    public static let passageLength = 40

    /// Builds the set from the corpus with `seed`. Knowledge tasks: of each training work's
    /// passages, one in ten goes to validation and one in ten to test. Skill tasks: validation
    /// and test lines come from the held-out works. A held-out line whose text also occurs in
    /// training ("My lord?") is dropped, so an answer cannot be recalled from the training set.
    /// `fits` skips instructions too long for the model (the template's tokens over its context).
    public init(corpus: ShakespeareCorpus, tasks: [InstructionTask] = InstructionTask.allCases, trainPerTask: Int, heldOutPerTask: Int,
                maxLineLength: Int = 40, seed: Int, fits: (Instruction) -> Bool = { _ in true }) {
        var trainLines: [SpokenLine] = [], validationLines: [SpokenLine] = [], testLines: [SpokenLine] = []
        var heldOutWorkLines: [ShakespeareCorpus.Split: [SpokenLine]] = [:]
        // ANCHOR: held_out
        for work in corpus.works {
            let lines = spokenLines(work, maxLength: maxLineLength)
            switch ShakespeareCorpus.split(of: work.name) {
            case .train:
                for l in lines {
                    switch (l.index / Self.passageLength) % 10 {
                    case 8: validationLines.append(l)
                    case 9: testLines.append(l)
                    default: trainLines.append(l)
                    }
                }
            case let split: heldOutWorkLines[split, default: []] += lines
            }
        }
        // ANCHOR_END: held_out
        let seen = Set(trainLines.map(\.line))
        let generator = Generator(seed: seed)
        func draw(_ task: InstructionTask, from lines: [SpokenLine], count: Int, unseen: Bool) -> [Instruction] {
            var used = Set<String>(), result: [Instruction] = []
            for i in generator.permutation(lines.count) where result.count < count {
                let l = lines[i]
                guard !(unseen && seen.contains(l.line)), !used.contains(l.line) else { continue }
                let instruction = Instruction(task: task, input: "\(task.question)\n\(l.line)",
                                              output: task.answer(line: l.line, speaker: l.speaker, play: playTitle(l.work)))
                guard fits(instruction) else { continue }
                used.insert(l.line)
                result.append(instruction)
            }
            return result
        }
        var train: [Instruction] = [], validation: [Instruction] = [], test: [Instruction] = []
        for task in tasks {
            train += draw(task, from: trainLines, count: trainPerTask, unseen: false)
            validation += draw(task, from: task.isSkill ? heldOutWorkLines[.validation] ?? [] : validationLines, count: heldOutPerTask, unseen: true)
            test += draw(task, from: task.isSkill ? heldOutWorkLines[.test] ?? [] : testLines, count: heldOutPerTask, unseen: true)
        }
        self.train = generator.permutation(train.count).map { train[$0] }   // tasks mixed
        self.validation = validation
        self.test = test
    }

    /// Writes `instructions.jsonl` (training), `validation.jsonl` and `test.jsonl` into `folder`,
    /// one JSON object per line with `input` and `output` keys (and `task`).
    public func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for (file, set) in [("instructions.jsonl", train), ("validation.jsonl", validation), ("test.jsonl", test)] {
            let lines = try set.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: folder.appendingPathComponent(file))
        }
    }
}
