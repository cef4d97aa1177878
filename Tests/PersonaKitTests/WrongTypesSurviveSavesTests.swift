import Foundation
import PersonaKit
import Testing

/// A value of the wrong type is reported when read and read as missing. Saving (this entry or
/// another of the same file) writes the fields that changed and keeps the values it could not read:
/// nothing the user wrote is dropped by a save.
@Suite struct WrongTypesSurviveSavesTests {
  /// The table of `[key.name]` as the file now reads.
  func entry(_ f: Fixture, _ file: String, _ key: String, _ name: String) throws -> TOMLDict {
    let root = try TOMLParser.parse(try f.read(file)).root
    return try #require(root[key]?.tableValue?[name]?.tableValue, "\(key).\(name) in \(file)")
  }

  static let personas = """
    [personas.Good]
    description = "fine"

    [personas.Bad]
    description = 42
    system_prompt = 7
    tool_preset_id = true
    preferred_models = [{ provider = "openai", model = "gpt-5", temperature = "0.7", max_output_tokens = 1.5 }, 3]
    tier_assignments = { tier1 = 5, tier2 = { model = "m", top_p = "high" } }

    [personas.Odd]
    preferred_models = "gpt-5"
    tier_assignments = "none"

    """

  @Test func savingAnotherPersonaKeepsThem() throws {
    let f = try Fixture(defaults: false)
    try f.write("personas.toml", Self.personas)
    let bad = try entry(f, "personas.toml", "personas", "Bad")
    let odd = try entry(f, "personas.toml", "personas", "Odd")
    var m = f.manager()
    #expect(m.workspace.readDiagnostics.count >= 8, "\(m.workspace.readDiagnostics)")
    var good = try #require(m.config.personas["Good"])
    good.description = "changed"
    try m.update(good, .persona)
    #expect(try entry(f, "personas.toml", "personas", "Good")["description"] == .string("changed"))
    #expect(try entry(f, "personas.toml", "personas", "Bad") == bad)
    #expect(try entry(f, "personas.toml", "personas", "Odd") == odd)
    // The problems are still there to be reported, at their places.
    let again = f.manager().workspace.readDiagnostics.filter {
      $0.subject.contains("Bad") || $0.subject.contains("Odd")
    }
    #expect(again.count == m.workspace.readDiagnostics.count, "\(again)")
  }

  @Test func savingThePersonaWritesOnlyWhatChanged() throws {
    let f = try Fixture(defaults: false)
    try f.write("personas.toml", Self.personas)
    let before = try entry(f, "personas.toml", "personas", "Bad")
    var m = f.manager()
    var bad = try #require(m.config.personas["Bad"])
    #expect(bad.description == "" && bad.systemPrompt == nil && bad.preferredModels.first?.temperature == nil)
    bad.description = "fixed"
    bad.preferredModels[0].temperature = 0.5
    bad.tierAssignments = [TierAssignment(tierKey: "tier3", settings: ModelSettings(model: "x"))]
    try m.update(bad, .persona)
    let after = try entry(f, "personas.toml", "personas", "Bad")
    #expect(after["description"] == .string("fixed"))
    #expect(after["system_prompt"] == .integer(7))
    #expect(after["tool_preset_id"] == .bool(true))
    // The changed model is written anew; its other wrong value stays, the array's element that is
    // not a model does not (the array was rewritten from the models).
    let models = try #require(after["preferred_models"]?.arrayValue)
    #expect(models.count == 1)
    #expect(models[0].tableValue?["temperature"] == .float(0.5))
    #expect(models[0].tableValue?["max_output_tokens"] == .float(1.5))
    // Tier assignments: tier2 (no longer assigned) removed, tier3 written, tier1 (not a table) kept.
    let tiers = try #require(after["tier_assignments"]?.tableValue)
    #expect(tiers.keys == ["tier1", "tier3"])
    #expect(tiers["tier1"] == .integer(5))
    #expect(before["tier_assignments"]?.tableValue?.keys == ["tier1", "tier2"])

    // A persona whose fields are read as they were is written as it was, byte for byte.
    var m2 = f.manager()
    let text = try f.read("personas.toml")
    try m2.update(try #require(m2.config.personas["Bad"]), .persona)
    #expect(try f.read("personas.toml") == text)
  }

  @Test func ticketsKeepThemWhenTheTrackIsSaved() throws {
    let f = try Fixture(defaults: false)
    try f.write(
      "tracks/t.toml",
      """
      title = 3

      [[tickets]]
      id = "T1"
      status = "todo"

      [[tickets]]
      id = "T2"
      status = 5
      tier = "high"
      retry_count = "2"
      blocked_reason = false
      depends_on = ["T1", 4]

      """)
    var m = f.manager()
    var track = try #require(m.config.tracks["t"])
    let t2 = try #require(TOMLParser.parse(try f.read("tracks/t.toml")).root["tickets"]?.arrayValue?[1].tableValue)
    track.tickets[0].status = "done"
    try m.saveTrack(track)
    var root = try TOMLParser.parse(try f.read("tracks/t.toml")).root
    #expect(root["title"] == .integer(3))
    #expect(root["tickets"]?.arrayValue?[0].tableValue?["status"] == .string("done"))
    #expect(root["tickets"]?.arrayValue?[1] == .table(t2))

    // The ticket's own status set: written; the rest stays.
    m = f.manager()
    track = try #require(m.config.tracks["t"])
    track.tickets[1].status = "blocked"
    track.tickets[1].retryCount = 3
    try m.saveTrack(track)
    root = try TOMLParser.parse(try f.read("tracks/t.toml")).root
    let ticket = try #require(root["tickets"]?.arrayValue?[1].tableValue)
    #expect(ticket["status"] == .string("blocked"))
    #expect(ticket["retry_count"] == .integer(3))
    #expect(ticket["tier"] == .string("high"))
    #expect(ticket["blocked_reason"] == .bool(false))
    #expect(ticket["depends_on"] == .array([.string("T1"), .integer(4)]))
  }

  @Test func aTrackKeepsElementsOfTicketsThatAreNotTickets() throws {
    let f = try Fixture(defaults: false)
    try f.write("tracks/t.toml", "tickets = [\"note\", { id = \"T1\" }, 7, { id = \"T2\" }]\n")
    try f.write("tracks/u.toml", "tickets = \"none yet\"\n")
    var m = f.manager()
    var track = try #require(m.config.tracks["t"])
    track.tickets[1].status = "done"
    track.tickets.append(Ticket(id: "T3"))
    try m.saveTrack(track)
    try m.saveTrack(try #require(m.config.tracks["u"]))
    let tickets = try #require(TOMLParser.parse(try f.read("tracks/t.toml")).root["tickets"]?.arrayValue)
    #expect(
      tickets.map { $0.tableValue?["id"] ?? $0 } == [
        .string("note"), .string("T1"), .integer(7), .string("T2"), .string("T3"),
      ])
    #expect(tickets[3].tableValue?["status"] == .string("done"))
    #expect(try TOMLParser.parse(try f.read("tracks/u.toml")).root["tickets"] == .string("none yet"))
  }

  @Test func toolPresetsBiasProfilesAndTiersKeepThem() throws {
    let f = try Fixture(defaults: false)
    try f.write(
      "tool_presets.toml",
      """
      [tool_presets.Odd]
      description = 1
      categories = { read = { tools = [{ name = "grep", approval = 2, weight = "heavy", parameter_bias = { path = 1 } }, "x"] }, write = 9 }

      """)
    try f.write(
      "bias_profiles.toml",
      """
      [bias_profiles.Odd]
      description = []
      category_multipliers = { read = 1.5, write = "lots" }
      tool_weights = 4

      """)
    try f.write("mma.toml", "tiers = { tier1 = 5, tier2 = \"Nobody\" }\n")
    try f.write("personas.toml", "[personas.Somebody]\ndescription = \"s\"\n")
    let preset = try entry(f, "tool_presets.toml", "tool_presets", "Odd")
    let profile = try entry(f, "bias_profiles.toml", "bias_profiles", "Odd")
    var m = f.manager()
    try m.create(ToolPreset(name: "New"), .toolPreset, scope: .global)
    try m.create(BiasProfile(name: "New"), .biasProfile, scope: .global)
    try m.assignTier(3, persona: "Somebody")
    try m.assignTier(2, persona: nil)
    // Not touched by the saves: as it was, in the file's own order.
    #expect(try entry(f, "tool_presets.toml", "tool_presets", "Odd") == preset)
    #expect(try entry(f, "bias_profiles.toml", "bias_profiles", "Odd") == profile)
    let tiers = try TOMLParser.parse(try f.read("mma.toml")).root["tiers"]?.tableValue
    #expect(tiers == TOMLDict([("tier1", .integer(5)), ("tier3", .string("Somebody"))]))
  }

  /// A key left out reads as its default; a save of the entry does not spell the default out.
  @Test func aSaveDoesNotAddTheDefaultsAnEntryLeftOut() throws {
    let f = try Fixture(defaults: false)
    let personas = "[personas.Terse]\npreferred_models = [{ provider = \"openai\", model = \"gpt-5\" }]\n"
    let track = "title = \"t\"\n\n[[tickets]]\nid = \"T1\"\n\n[[tickets]]\nid = \"T2\"\ndepends_on = [\"T1\"]\n"
    try f.write("personas.toml", personas)
    try f.write("tracks/t.toml", track)
    var m = f.manager()
    var p = try #require(m.config.personas["Terse"])
    p.preferredModels[0].temperature = 0.5
    try m.update(p, .persona)
    #expect(
      try f.read("personas.toml")
        == "[personas.Terse]\npreferred_models = [{ provider = \"openai\", model = \"gpt-5\", temperature = 0.5 }]\n"
    )
    // The conductor's save of a status: only the status is added.
    var t = try #require(m.config.tracks["t"])
    t.tickets[0].status = "done"
    try m.saveTrack(t)
    #expect(
      try f.read("tracks/t.toml")
        == "title = \"t\"\n\n[[tickets]]\nid = \"T1\"\nstatus = \"done\"\n\n[[tickets]]\nid = \"T2\"\ndepends_on = [\"T1\"]\n"
    )
    // A value set back to the default after being spelled out stays spelled out.
    t = try #require(f.manager().config.tracks["t"])
    t.tickets[0].status = "todo"
    try m.saveTrack(t)
    #expect(try f.read("tracks/t.toml").contains("id = \"T1\"\nstatus = \"todo\"\n"))
  }
}
