import Foundation
import Testing

@testable import PersonaKit

/// One test per layer of DATA.md "Resolution", each checking the value and its origin.
@Suite struct ResolutionTests {
  /// A small config where every layer can be switched on or off.
  func fixture(track: String = "", extraPersonas: String = "") throws -> Fixture {
    let f = try Fixture(defaults: false)
    try f.write(
      "models.toml",
      """
      [providers.anthropic]
      models = ["claude-sonnet-4-5", "claude-haiku-4-5"]
      temperature_range = { min = 0.0, max = 1.0 }
      defaults = { model = "claude-sonnet-4-5", temperature = 1.0, top_p = 0.99, max_output_tokens = 1000 }
      [providers.gemini]
      models = ["gemini-2.5-pro", "gemini-2.5-flash"]
      defaults = { model = "gemini-2.5-flash", temperature = 0.9, top_p = 0.95, max_output_tokens = 2000 }
      """)
    try f.write("presets.toml", "[presets.Base]\nsystem_prompt = \"Preset text.\"\ntemperature = 0.6\ntop_p = 0.8\n")
    try f.write(
      "tools.toml",
      "[tools.read]\ndescription = \"Read.\"\ncategory = \"r\"\n[tools.write]\ndescription = \"Write.\"\ncategory = \"w\"\n"
    )
    try f.write(
      "tool_presets.toml",
      "[tool_presets.T.categories.r]\ntools = [{ name = \"read\", approval = \"auto\", weight = 4 }]\n[tool_presets.T.categories.w]\ntools = [{ name = \"write\", approval = \"ask\" }]\n"
    )
    try f.write(
      "bias_profiles.toml", "[bias_profiles.B]\ndescription = \"b\"\ncategory_multipliers = { r = 1.5, w = 0.5 }\n")
    try f.write(
      "personas.toml",
      """
      [personas.P]
      system_prompt_preset_id = "Base"
      system_prompt = "Persona text."
      tool_preset_id = "T"
      bias_profile_id = "B"
      preferred_models = [
        { provider = "anthropic", model = "claude-sonnet-4-5", temperature = 0.2 },
        { provider = "gemini", model = "gemini-2.5-pro", max_output_tokens = 4096 },
      ]
      [personas.P.tier_assignments]
      tier4 = { model = "claude-haiku-4-5", max_output_tokens = 512 }
      [personas.Q]
      preferred_models = [{ provider = "gemini", model = "gemini-2.5-flash" }]
      [personas.Bare]
      \(extraPersonas)
      """)
    try f.write("mma.toml", "default_persona = \"Q\"\n[tiers]\ntier3 = \"P\"\ntier4 = \"P\"\n")
    try f.write("ai_settings.toml", "persona = \"Q\"\n[overrides]\ntemperature = 0.33\n")
    try f.write(
      "tracks/t.toml",
      """
      title = "t"
      \(track)
      [[tickets]]
      id = "A"
      tier = 3
      [[tickets]]
      id = "O"
      tier = 3
      persona_id = "Q"
      model_override = "claude-haiku-4-5"
      [[tickets]]
      id = "R"
      tier = 3
      retry_count = 1
      """)
    return f
  }

  func resolve(_ f: Fixture, tier: Int? = nil, ticket: String? = nil, retry: Int? = nil) throws -> ResolvedPersona {
    try Resolver(f.load().config).resolve(tier: tier, track: ticket == nil ? nil : "t", ticket: ticket, retry: retry)
  }

  @Test func layer1ModelOverrideSetsTheModelOnlyAndMovesTheProvider() throws {
    let r = try resolve(try fixture(), ticket: "O")
    #expect(r.personaName == "Q" && r.source == .ticketOverride)
    #expect(r.model == Resolved("claude-haiku-4-5", .modelOverride(ticket: "O")))
    // Q's own model is gemini's: the override's model lives with anthropic in the catalog.
    #expect(r.provider == Resolved("anthropic", .modelCatalog(model: "claude-haiku-4-5")))
    #expect(r.temperature == Resolved(1.0, .providerDefault(provider: "anthropic")))
  }

  @Test func layer2TierAssignment() throws {
    let r = try resolve(try fixture(), tier: 4)
    #expect(r.personaName == "P" && r.source == .tierAssignment)
    #expect(r.model == Resolved("claude-haiku-4-5", .tierAssignment(persona: "P", tier: 4)))
    #expect(r.maxOutputTokens == Resolved(512, .tierAssignment(persona: "P", tier: 4)))
    #expect(r.provider == Resolved("anthropic", .preferredModel(persona: "P", index: 0)))
  }

  @Test func layer3PreferredModelsByRetry() throws {
    let f = try fixture()
    let r0 = try resolve(f, tier: 3)
    #expect(r0.model == Resolved("claude-sonnet-4-5", .preferredModel(persona: "P", index: 0)))
    #expect(r0.temperature == Resolved(0.2, .preferredModel(persona: "P", index: 0)))
    let r1 = try resolve(f, ticket: "R")
    #expect(r1.retry == 1)
    #expect(r1.provider == Resolved("gemini", .preferredModel(persona: "P", index: 1)))
    #expect(r1.maxOutputTokens == Resolved(4096, .preferredModel(persona: "P", index: 1)))
  }

  @Test func escalationPastTheEndUsesTheLastEntry() throws {
    let r = try resolve(try fixture(), tier: 3, retry: 7)
    #expect(r.retry == 7)
    #expect(r.model == Resolved("gemini-2.5-pro", .preferredModel(persona: "P", index: 1)))
  }

  @Test func layer4SystemPromptPreset() throws {
    let r = try resolve(try fixture(), tier: 3, retry: 1)
    // preferred_models[1] sets no temperature: the preset's applies.
    #expect(r.temperature == Resolved(0.6, .preset("Base")))
    #expect(r.topP == Resolved(0.8, .preset("Base")))
  }

  @Test func layer5ProviderDefaults() throws {
    let r = try resolve(try fixture(), tier: 3)
    #expect(r.maxOutputTokens == Resolved(1000, .providerDefault(provider: "anthropic")))
    let q = try Resolver(try fixture().load().config).resolve(tier: 1)
    #expect(q.personaName == "Q" && q.source == .default)
    #expect(q.temperature == Resolved(0.9, .providerDefault(provider: "gemini")))
    #expect(q.topP == Resolved(0.95, .providerDefault(provider: "gemini")))
  }

  @Test func personaSourcesInOrder() throws {
    let f = try fixture(track: "persona_id = \"Bare\"")
    #expect(try resolve(f, ticket: "O").source == .ticketOverride)
    let a = try resolve(f, ticket: "A")
    #expect(a.personaName == "Bare" && a.source == .track)
    let g = try fixture()
    #expect(try resolve(g, ticket: "A").source == .tierAssignment)
    #expect(try resolve(g, tier: 2).source == .default)
  }

  @Test func noPersonaMeansTheAISettingsValues() throws {
    let f = try fixture()
    try f.write("mma.toml", "[tiers]\n")
    let r = try resolve(f, tier: 2)
    #expect(r.personaName == nil && r.source == .none)
    #expect(r.aiSettingsPersona == "Q")
    #expect(r.temperature == Resolved(0.33, .aiSettings))
    #expect(r.model == Resolved("gemini-2.5-flash", .preferredModel(persona: "Q", index: 0)))
  }

  @Test func unknownPersonaIsSkippedWithAWarning() throws {
    let f = try fixture()
    try f.write("mma.toml", "default_persona = \"Q\"\n[tiers]\ntier3 = \"Ghost\"\n")
    let r = try resolve(f, tier: 3)
    #expect(r.personaName == "Q" && r.source == .default)
    #expect(r.warnings.count == 1 && r.warnings[0].contains("Ghost"))
  }

  @Test func effectiveSystemPromptAndNudgedTools() throws {
    let r = try resolve(try fixture(), tier: 3)
    #expect(r.promptParts.map(\.kind) == ["preset", "persona", "tooling_strategy"])
    #expect(r.systemPrompt.hasPrefix("Preset text.\n\nPersona text.\n\n## Tooling strategy (B)"))
    let read = r.tools.first { $0.name == "read" }!
    #expect(read.effectiveWeight == 6.0)
    #expect(read.priority == "HIGH PRIORITY")
    #expect(read.description == "[HIGH PRIORITY] Read.")
    let write = r.tools.first { $0.name == "write" }!
    #expect(write.effectiveWeight == 1.5)
    #expect(write.priority == "LOW PRIORITY")
    #expect(write.approval == "ask")
    #expect(r.systemPrompt.contains("Use only when nothing else fits: write"))
  }

  @Test func badInputsAreClearErrors() throws {
    let f = try fixture()
    let resolver = Resolver(f.load().config)
    #expect(throws: Resolver.Failure.badTier(5)) { try resolver.resolve(tier: 5) }
    #expect(throws: Resolver.Failure.unknownTrack("nope")) { try resolver.resolve(tier: 3, track: "nope") }
    #expect(throws: Resolver.Failure.unknownTicket(track: "t", ticket: "Z")) {
      try resolver.resolve(tier: nil, track: "t", ticket: "Z")
    }
  }

  @Test func shippedSampleTicketOverride() throws {
    let f = try Fixture()
    let r = try Resolver(f.load().config).resolve(tier: nil, track: "auth", ticket: "T-004")
    #expect(r.personaName == "Security Reviewer" && r.source == .ticketOverride)
    #expect(r.provider.value == "gemini" && r.model.value == "gemini-2.5-flash")
  }
}
