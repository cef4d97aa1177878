import Foundation
import Testing

@testable import PersonaKit

@Suite struct ValidationTests {
  func problems(_ f: Fixture) -> [String] {
    Validator.validate(f.load()).map { d in
      // Relative to the config dir, for readable expectations.
      d.description.replacingOccurrences(of: f.global.path + "/", with: "")
    }
  }

  @Test func shippedDefaultsAreValid() throws {
    let f = try Fixture()
    let all = Validator.validate(f.load())
    #expect(all.isEmpty, "\(all.map(\.description))")
  }

  @Test func wrongTypesNameTheirPlace() throws {
    let f = try Fixture()
    try f.write(
      "personas.toml",
      """
      [personas.A]
      description = 42
      preferred_models = [{ provider = "anthropic", model = "claude-sonnet-4-5", temperature = "hot" }]
      """)
    let p = problems(f)
    #expect(p.contains("personas.toml:2:1: [personas.A] description: expected a string, found an integer"))
    #expect(
      p.contains("personas.toml:3:76: [personas.A] preferred_models[0].temperature: expected a number, found a string"))
  }

  @Test func rangesAreChecked() throws {
    let f = try Fixture()
    try f.write(
      "personas.toml",
      """
      [personas.A]
      preferred_models = [
        { provider = "anthropic", model = "claude-sonnet-4-5", temperature = 1.5 },
        { provider = "openai", model = "gpt-5", temperature = 1.5, top_p = 1.2, max_output_tokens = 0 },
        { provider = "openai", model = "gpt-5", max_output_tokens = 999999 },
      ]
      """)
    let p = problems(f)
    #expect(
      p.contains(
        "personas.toml:3:58: [personas.A] preferred_models[0].temperature: 1.5 is outside anthropic's range 0.0–1.0"))
    #expect(!p.contains { $0.contains("preferred_models[1].temperature") })  // openai allows 0–2
    #expect(p.contains("personas.toml:4:62: [personas.A] preferred_models[1].top_p: 1.2 is outside 0–1"))
    #expect(
      p.contains(
        "personas.toml:4:75: [personas.A] preferred_models[1].max_output_tokens: must be greater than 0, found 0"))
    #expect(
      p.contains { $0.contains("preferred_models[2].max_output_tokens: 999999 is above openai's limit of 128000") })
  }

  @Test func toolPresetRules() throws {
    let f = try Fixture()
    try f.write(
      "tool_presets.toml",
      """
      [tool_presets.X.categories.read]
      tools = [
        { name = "read_file", approval = "sometimes", weight = 9 },
        { name = "no_such_tool" },
        { name = "search_code", parameter_bias = { regex = "maybe" } },
      ]
      [tool_presets.X.categories.edit]
      tools = [{ name = "read_file", approval = "auto" }]
      """)
    let p = problems(f)
    #expect(
      p.contains(
        "tool_presets.toml:3:25: [tool_presets.X] categories.read.tools[0].approval: approval must be \"auto\" or \"ask\", found \"sometimes\""
      ))
    #expect(
      p.contains(
        "tool_presets.toml:3:49: [tool_presets.X] categories.read.tools[0].weight: weight must be 1 to 5, found 9"))
    #expect(
      p.contains(
        "tool_presets.toml:4:5: [tool_presets.X] categories.read.tools[1].name: unknown tool \"no_such_tool\" (not in tools.toml)"
      ))
    #expect(
      p.contains { $0.contains("parameter_bias.regex: must be \"preferred\" or \"discouraged\", found \"maybe\"") })
    #expect(
      p.contains {
        $0.contains("categories.edit.tools[0].name: duplicate tool \"read_file\" (already in category \"read\")")
      })
    #expect(
      p.contains {
        $0.contains(
          "warning: [tool_presets.X] categories.edit.tools[0].name: tool \"read_file\" is in category \"read\"")
      })
  }

  @Test func unknownReferences() throws {
    let f = try Fixture()
    try f.write(
      "personas.toml",
      """
      [personas.A]
      system_prompt_preset_id = "Nope"
      tool_preset_id = "Nada"
      bias_profile_id = "Zilch"
      preferred_models = [{ provider = "acme", model = "m1" }]
      """)
    try f.write("mma.toml", "default_persona = \"Ghost\"\n[tiers]\ntier1 = \"A\"\ntier5 = \"A\"\ntier2 = \"Phantom\"\n")
    try f.write("bias_profiles.toml", "[bias_profiles.Z]\ntool_weights = { teleport = 3 }\n")
    let p = problems(f)
    #expect(
      p.contains("personas.toml:2:1: [personas.A] system_prompt_preset_id: unknown system prompt preset \"Nope\""))
    #expect(p.contains("personas.toml:3:1: [personas.A] tool_preset_id: unknown tool preset \"Nada\""))
    #expect(p.contains("personas.toml:4:1: [personas.A] bias_profile_id: unknown bias profile \"Zilch\""))
    #expect(
      p.contains {
        $0.hasPrefix("personas.toml:5:23: [personas.A] preferred_models[0].provider: unknown provider \"acme\"")
      })
    #expect(p.contains("mma.toml:1:1: default_persona: unknown persona \"Ghost\""))
    #expect(p.contains("mma.toml:4:1: [tiers] tier5: unknown tier key \"tier5\": tiers are tier1, tier2, tier3, tier4"))
    #expect(p.contains("mma.toml:5:1: [tiers] tier2: unknown persona \"Phantom\""))
    #expect(
      p.contains(
        "bias_profiles.toml:2:18: [bias_profiles.Z] tool_weights.teleport: unknown tool \"teleport\" (not in tools.toml)"
      ))
  }

  @Test func personaTierKeysOutsideTheFourTiers() throws {
    let f = try Fixture()
    try f.write("personas.toml", "[personas.A.tier_assignments]\ntier0 = { model = \"x\" }\n")
    #expect(
      problems(f).contains(
        "personas.toml:2:1: [personas.A] tier_assignments.tier0: unknown tier key \"tier0\": tiers are tier1, tier2, tier3, tier4"
      ))
  }

  @Test func ticketsDuplicatesUnknownDependenciesAndCycles() throws {
    let f = try Fixture()
    try f.write(
      "tracks/loop.toml",
      """
      title = "loop"
      [[tickets]]
      id = "A"
      depends_on = ["C"]
      [[tickets]]
      id = "B"
      depends_on = ["A", "Z"]
      status = "waiting"
      persona_id = "Ghost"
      [[tickets]]
      id = "C"
      depends_on = ["B"]
      tier = 7
      [[tickets]]
      id = "A"
      [[tickets]]
      id = "S"
      depends_on = ["S"]
      """)
    let p = problems(f)
    #expect(p.contains("tracks/loop.toml:4:1: ticket A depends_on: dependency cycle: A → C → B → A"))
    #expect(p.contains("tracks/loop.toml:7:1: ticket B depends_on: unknown ticket \"Z\""))
    #expect(
      p.contains(
        "tracks/loop.toml:8:1: ticket B status: unknown status \"waiting\": use todo, in_progress, blocked, done"))
    #expect(p.contains("tracks/loop.toml:9:1: ticket B persona_id: unknown persona \"Ghost\""))
    #expect(p.contains("tracks/loop.toml:13:1: ticket C tier: tier must be 1 to 4, found 7"))
    #expect(p.contains("tracks/loop.toml:15:1: ticket A id: duplicate ticket id (ticket #1 has it too)"))
    #expect(p.contains("tracks/loop.toml:18:1: ticket S depends_on: the ticket depends on itself"))
  }

  @Test func cyclesAreEachNamedOnce() {
    let tickets = [
      Ticket(id: "1", dependsOn: ["2"]), Ticket(id: "2", dependsOn: ["1", "3"]), Ticket(id: "3", dependsOn: ["4"]),
      Ticket(id: "4", dependsOn: ["3"]), Ticket(id: "5", dependsOn: ["1"]),
    ]
    #expect(Validator.cycles(in: tickets) == [["1", "2"], ["3", "4"]])
  }

  /// Each ticket depending on the next: the walk goes as deep as the chain (it was recursive and
  /// overflowed the stack: `validate` crashed on 60,000 tickets, the test thread sooner).
  @Test func aChainOfTensOfThousandsIsWalkedWithoutRecursion() {
    let n = 60_000
    var tickets = (0..<n).map { Ticket(id: "R\($0)", dependsOn: $0 + 1 < n ? ["R\($0 + 1)"] : []) }
    #expect(Validator.cycles(in: tickets).isEmpty)
    tickets[n - 1].dependsOn = ["R0"]
    let cycles = Validator.cycles(in: tickets)
    #expect(cycles.count == 1)
    #expect(cycles.first?.count == n)
    #expect(cycles.first?.first == "R0" && cycles.first?.last == "R\(n - 1)")
    // Named in a line of its own length, not of the cycle's.
    let shown = "R0 → R1 → R2 → R3 → R4 → R5 → R6 → R7 → … 59989 more … → R59997 → R59998 → R59999 → R0"
    #expect(Validator.path(of: cycles[0]) == shown)
    #expect(Validator.path(of: ["A", "B"]) == "A → B → A")
    #expect(Validator.path(of: (1...12).map { "T\($0)" }).hasSuffix("T11 → T12 → T1"))
  }

  @Test func namesThatDifferOnlyByCaseWarn() throws {
    let f = try Fixture()
    try f.write("personas.toml", "[personas.Worker]\n[personas.worker]\n")
    let p = problems(f)
    #expect(
      p.contains { $0.contains("warning: [personas] worker: persona \"worker\" differs from \"Worker\" only by case") })
  }

  @Test func syntaxErrorsCarryLineAndColumn() throws {
    let f = try Fixture()
    try f.write("presets.toml", "[presets.A]\nsystem_prompt = \"ok\"\ntemperature = = 1\n")
    let p = problems(f)
    #expect(p.contains { $0.hasPrefix("presets.toml:3:15: ") && $0.contains("read-only until this is fixed") })
  }

  @Test func controlCharactersInNamesAreEscapedInMessages() throws {
    let f = try Fixture()
    try f.write("mma.toml", "[tiers]\ntier1 = \"evil\\u001b]0;pwned\\u0007\"\n")
    let p = problems(f)
    #expect(p.contains("mma.toml:2:1: [tiers] tier1: unknown persona \"evil^[]0;pwned^G\""))
  }
}
