import Foundation
import MiniTorch

/// A seeded toy world of short English sentences for pretraining a tiny masked language model.
///
/// Two kinds of structure a small encoder can learn in seconds:
/// - facts about 36 countries, in several surface forms: "the capital of france is paris .",
///   "paris is the capital of france .", "the people of france speak french .",
///   "france is a country in europe .", "paris is a city in france ."; filling the blank in
///   "the capital of france is <mask> ." means remembering a fact, not just grammar;
/// - grammar: determiners, adjectives before nouns, and number agreement between subject and
///   verb ("the small dog runs in the park .", "these dogs run .", "the cats are happy .",
///   "a girl sees two birds .").
///
/// One form of fact is held out of the corpus altogether, `unseenCapitalTemplate`
/// ("the capital city of france is paris ."): the fill-mask demo asks it to see whether the
/// model generalises to a phrasing it never read. All words in it occur elsewhere in the corpus.
///
/// Lesson 07 builds a true/false task from the same world with `factExamples(seed:count:)`.
public struct SyntheticCorpus: Sendable {
    public struct Country: Sendable, Equatable {
        public let name: String, capital: String, language: String, continent: String
    }

    /// The world: every name is one lower-case word, so each is one token.
    public static let countries: [Country] = [
        ("france", "paris", "french", "europe"), ("germany", "berlin", "german", "europe"),
        ("italy", "rome", "italian", "europe"), ("spain", "madrid", "spanish", "europe"),
        ("portugal", "lisbon", "portuguese", "europe"), ("greece", "athens", "greek", "europe"),
        ("poland", "warsaw", "polish", "europe"), ("sweden", "stockholm", "swedish", "europe"),
        ("norway", "oslo", "norwegian", "europe"), ("finland", "helsinki", "finnish", "europe"),
        ("austria", "vienna", "german", "europe"), ("ireland", "dublin", "english", "europe"),
        ("hungary", "budapest", "hungarian", "europe"), ("netherlands", "amsterdam", "dutch", "europe"),
        ("russia", "moscow", "russian", "europe"), ("egypt", "cairo", "arabic", "africa"),
        ("kenya", "nairobi", "swahili", "africa"), ("nigeria", "abuja", "english", "africa"),
        ("morocco", "rabat", "arabic", "africa"), ("ghana", "accra", "english", "africa"),
        ("senegal", "dakar", "french", "africa"), ("japan", "tokyo", "japanese", "asia"),
        ("china", "beijing", "chinese", "asia"), ("india", "delhi", "hindi", "asia"),
        ("thailand", "bangkok", "thai", "asia"), ("vietnam", "hanoi", "vietnamese", "asia"),
        ("indonesia", "jakarta", "indonesian", "asia"), ("korea", "seoul", "korean", "asia"),
        ("iran", "tehran", "persian", "asia"), ("turkey", "ankara", "turkish", "asia"),
        ("canada", "ottawa", "english", "america"), ("brazil", "brasilia", "portuguese", "america"),
        ("peru", "lima", "spanish", "america"), ("chile", "santiago", "spanish", "america"),
        ("cuba", "havana", "spanish", "america"), ("australia", "canberra", "english", "oceania"),
    ].map { Country(name: $0.0, capital: $0.1, language: $0.2, continent: $0.3) }

    /// The fact forms in the corpus; `{country}`, `{capital}`, `{language}`, `{continent}` are
    /// filled from one row of `countries`. The first is the form of the fill-mask demo, and every
    /// country's sentence in that form is kept in the training split.
    public static let factTemplates = [
        "the capital of {country} is {capital} .",
        "{capital} is the capital of {country} .",
        "the people of {country} speak {language} .",
        "in {country} people speak {language} .",
        "{country} is a country in {continent} .",
        "{capital} is a city in {country} .",
    ]

    /// A form of the capital fact that never appears in the corpus (neither split).
    public static let unseenCapitalTemplate = "the capital city of {country} is {capital} ."

    /// Prompts for the fill-mask demo and the word a model that learned the world should rank
    /// first; `seenForm` is false for the held-out phrasing.
    public static let fillMaskPrompts: [(prompt: String, expected: String, seenForm: Bool)] = [
        ("the capital of france is <mask> .", "paris", true),
        ("the capital of japan is <mask> .", "tokyo", true),
        ("the people of germany speak <mask> .", "german", true),
        ("kenya is a country in <mask> .", "africa", true),
        ("the small dogs <mask> in the park .", "run", true),      // plural subject, plural verb
        ("the capital city of italy is <mask> .", "rome", false),
    ]

    // The grammar's word lists: singular and plural forms side by side.
    static let nouns = [("dog", "dogs"), ("cat", "cats"), ("bird", "birds"), ("horse", "horses"), ("child", "children"),
                        ("teacher", "teachers"), ("farmer", "farmers"), ("girl", "girls"), ("boy", "boys"),
                        ("man", "men"), ("woman", "women")]
    static let intransitiveVerbs = [("runs", "run"), ("sleeps", "sleep"), ("sings", "sing"), ("jumps", "jump"),
                                    ("walks", "walk"), ("waits", "wait"), ("plays", "play")]
    static let transitiveVerbs = [("sees", "see"), ("likes", "like"), ("follows", "follow"), ("chases", "chase"), ("helps", "help")]
    static let adjectives = ["small", "big", "old", "young", "happy", "tired", "brown", "black", "white", "little"]
    static let places = ["on the mat", "in the garden", "near the river", "under the tree", "in the house", "in the park"]
    static let singularDeterminers = ["the", "a", "this", "every"]
    static let pluralDeterminers = ["the", "some", "these", "two", "many"]

    public let seed: Int
    /// The share of sentences that are facts (the rest come from the grammar).
    public let factShare: Double

    public init(seed: Int = 42, factShare: Double = 0.5) {
        if !(factShare >= 0 && factShare <= 1) { fail("SyntheticCorpus: factShare must be between 0 and 1 (got \(factShare))") }
        self.seed = seed
        self.factShare = factShare
    }

    /// Fills a template from one country.
    public static func fill(_ template: String, with c: Country) -> String {
        template.replacingOccurrences(of: "{country}", with: c.name).replacingOccurrences(of: "{capital}", with: c.capital)
            .replacingOccurrences(of: "{language}", with: c.language).replacingOccurrences(of: "{continent}", with: c.continent)
    }

    /// `count` sentences, the same for the same seed. Each country's sentence in the first fact
    /// form is among them at least once (when `count` allows), the rest drawn at random.
    public func sentences(count: Int = 4000) -> [String] {
        if count < 0 { fail("SyntheticCorpus.sentences: count must be non-negative (got \(count))") }
        let g = Generator(seed: seed)
        var result = SyntheticCorpus.countries.prefix(count).map { SyntheticCorpus.fill(SyntheticCorpus.factTemplates[0], with: $0) }
        while result.count < count {
            result.append(Double(g.uniform()) < factShare ? fact(g) : grammatical(g))
        }
        return g.permutation(result.count).map { result[$0] }
    }

    /// A seeded split of `sentences(count:)` into training and validation instances.
    /// Validation takes `validationFraction` of the sentences at random, except sentences in the
    /// demo's fact form ("the capital of france is paris ."), which all stay in training so the
    /// fill-mask demo asks about facts the model has read.
    public func split(count: Int = 4000, validationFraction: Double = 0.1) -> (train: [String], validation: [String]) {
        if !(validationFraction >= 0 && validationFraction < 1) {
            fail("SyntheticCorpus.split: validationFraction must be in [0, 1) (got \(validationFraction))")
        }
        let all = sentences(count: count)
        let demoForm = Set(SyntheticCorpus.countries.map { SyntheticCorpus.fill(SyntheticCorpus.factTemplates[0], with: $0) })
        let eligible = all.indices.filter { !demoForm.contains(all[$0]) }
        let wanted = min(eligible.count, Int((Double(count) * validationFraction).rounded()))
        let g = Generator(seed: seed &+ 1)
        let held = Set(g.permutation(eligible.count).prefix(wanted).map { eligible[$0] })
        return (all.indices.filter { !held.contains($0) }.map { all[$0] }, held.sorted().map { all[$0] })
    }

    /// True facts (label 1) and corrupted ones (label 0), about half each, in the corpus's fact
    /// forms: a corrupted fact swaps in another country's capital, language or continent that
    /// makes the sentence false ("the capital of france is tokyo .").
    public static func factExamples(seed: Int, count: Int) -> [(sentence: String, label: Int)] {
        if count < 0 { fail("SyntheticCorpus.factExamples: count must be non-negative (got \(count))") }
        let g = Generator(seed: seed)
        var examples: [(sentence: String, label: Int)] = []
        for _ in 0..<count {
            let c = countries[g.int(below: countries.count)]
            let template = factTemplates[g.int(below: factTemplates.count)]
            if g.int(below: 2) == 1 {
                examples.append((fill(template, with: c), 1))
                continue
            }
            // Corrupt the field the template states, with a value that is false for `c`.
            var other = countries[g.int(below: countries.count)]
            func differs(_ o: Country) -> Bool {
                if template.contains("{capital}") { return o.capital != c.capital }
                if template.contains("{language}") { return o.language != c.language }
                return o.continent != c.continent
            }
            while !differs(other) { other = countries[g.int(below: countries.count)] }
            let corrupted = Country(name: c.name,
                                    capital: template.contains("{capital}") ? other.capital : c.capital,
                                    language: template.contains("{language}") ? other.language : c.language,
                                    continent: template.contains("{continent}") ? other.continent : c.continent)
            examples.append((fill(template, with: corrupted), 0))
        }
        return examples
    }

    // MARK: Generators

    /// A random fact; the demo's form ("the capital of ... is ...") is drawn `demoFormWeight`
    /// times as often as each other form, so the capital facts are seen often enough for a
    /// tiny model to memorise them within a lesson's budget.
    private func fact(_ g: Generator) -> String {
        let c = SyntheticCorpus.countries[g.int(below: SyntheticCorpus.countries.count)]
        let forms = SyntheticCorpus.factTemplates.count
        let draw = g.int(below: forms + SyntheticCorpus.demoFormWeight - 1)
        return SyntheticCorpus.fill(SyntheticCorpus.factTemplates[draw < forms ? draw : 0], with: c)
    }

    static let demoFormWeight = 3

    private func pick<T>(_ list: [T], _ g: Generator) -> T { list[g.int(below: list.count)] }

    /// A noun phrase and whether it is plural: determiner, an optional adjective, the noun.
    private func nounPhrase(_ g: Generator) -> (words: String, plural: Bool) {
        let plural = g.int(below: 2) == 1
        let noun = pick(SyntheticCorpus.nouns, g)
        var words = [pick(plural ? SyntheticCorpus.pluralDeterminers : SyntheticCorpus.singularDeterminers, g)]
        if g.int(below: 2) == 1 { words.append(pick(SyntheticCorpus.adjectives, g)) }   // adjectives come before the noun
        if words[0] == "a" && words.count > 1 && "aeiou".contains(words[1].first!) { words[0] = "an" }
        words.append(plural ? noun.1 : noun.0)
        return (words.joined(separator: " "), plural)
    }

    /// One sentence from the grammar; the verb agrees in number with the subject.
    private func grammatical(_ g: Generator) -> String {
        let subject = nounPhrase(g)
        switch g.int(below: 3) {
        case 0:   // the dog runs [in the park] .
            let verb = pick(SyntheticCorpus.intransitiveVerbs, g)
            let place = g.int(below: 2) == 1 ? " " + pick(SyntheticCorpus.places, g) : ""
            return "\(subject.words) \(subject.plural ? verb.1 : verb.0)\(place) ."
        case 1:   // the dog sees a cat .
            let verb = pick(SyntheticCorpus.transitiveVerbs, g)
            return "\(subject.words) \(subject.plural ? verb.1 : verb.0) \(nounPhrase(g).words) ."
        default:  // the dogs are happy .
            return "\(subject.words) \(subject.plural ? "are" : "is") \(pick(SyntheticCorpus.adjectives, g)) ."
        }
    }
}
