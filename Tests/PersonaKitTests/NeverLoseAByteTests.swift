import Foundation
import Testing

@testable import PersonaKit

/// Saves change only the bytes of what changed: hand-written files keep their comments, layout,
/// quoting, number spellings and line ends through every write path (TOMLEditor).
@Suite struct NeverLoseAByteTests {
  static let personas = """
    # My personas — kept in my dotfiles.

    # The one who plans.
    [personas.Orchestrator]
    description = 'Plans the track'   # a literal string
    system_prompt = \"\"\"
    Plan first.
    Then delegate.\"\"\"
    preferred_models = [
      { provider = "anthropic", model = "claude-opus-4-1", temperature = 0.4 },  # primary
    ]
    tier_assignments.tier4 = { model = "claude-haiku-4-5", max_output_tokens = 8_192 }  # dotted

    [personas."Tech Lead"]  # a comment on a header
    description = "Reviews"
    preferred_models = [{ provider = "anthropic", model = "claude-sonnet-4-5", temperature = 2e-1, max_output_tokens = 0x2000 }]

    # Worker: the one who does it.
    [personas.Worker]
    description = "Tier 3: implements one ticket"
    tool_preset_id = "Full"   # all tools
    preferred_models = [{ provider = "anthropic", model = "claude-sonnet-4-5", temperature = 0.2 }]

    [personas."QA Analyst"]
    preferred_models = [{ provider = "gemini", model = "gemini-2.5-flash" }]

    [personas."Security Reviewer"]
    preferred_models = [{ provider = "anthropic", model = "claude-sonnet-4-5" }]

    """

  /// The lines only in `a` and the lines only in `b` (longest common subsequence).
  static func diff(_ a: String, _ b: String) -> (removed: [String], added: [String]) {
    let x = a.components(separatedBy: "\n")
    let y = b.components(separatedBy: "\n")
    var l = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in stride(from: x.count - 1, through: 0, by: -1) {
      for j in stride(from: y.count - 1, through: 0, by: -1) {
        l[i][j] = x[i] == y[j] ? l[i + 1][j + 1] + 1 : max(l[i + 1][j], l[i][j + 1])
      }
    }
    var (i, j) = (0, 0)
    var removed: [String] = []
    var added: [String] = []
    while i < x.count || j < y.count {
      if i < x.count && j < y.count && x[i] == y[j] {
        i += 1
        j += 1
      } else if j < y.count && (i == x.count || l[i][j + 1] >= l[i + 1][j]) {
        added.append(y[j])
        j += 1
      } else {
        removed.append(x[i])
        i += 1
      }
    }
    return (removed, added)
  }

  func fixture(_ text: String = personas) throws -> Fixture {
    let f = try Fixture()
    try f.write("personas.toml", text)
    try f.write(
      "mma.toml",
      "# tiers\n[tiers]\ntier1 = \"Orchestrator\"  # the planner\ntier2 = \"Tech Lead\"  # reviews\ntier3 = \"Worker\"\n"
    )
    return f
  }

  @Test func createAddsOnlyTheNewEntry() throws {
    let f = try fixture()
    var m = f.manager()
    try m.create(Persona(name: "New", description: "fresh"), .persona, scope: .global)
    let d = Self.diff(Self.personas, try f.read("personas.toml"))
    #expect(d.removed.isEmpty, "\(d)")
    #expect(d.added == ["[personas.New]", "description = \"fresh\"", ""], "\(d)")
  }

  @Test func anEditChangesOnlyItsValue() throws {
    let f = try fixture()
    var m = f.manager()
    var w = try #require(m.config.personas["Worker"])
    w.description = "Implements exactly one ticket"
    w.toolPresetID = "Read-only"
    try m.update(w, .persona)
    let d = Self.diff(Self.personas, try f.read("personas.toml"))
    #expect(
      d.removed == ["description = \"Tier 3: implements one ticket\"", "tool_preset_id = \"Full\"   # all tools"])
    #expect(
      d.added == ["description = \"Implements exactly one ticket\"", "tool_preset_id = \"Read-only\"   # all tools"])
    // A literal string stays literal; a new key goes after the table's last line.
    var o = try #require(m.config.personas["Orchestrator"])
    o.description = "Plans it"
    o.biasProfileID = "Balanced"
    try m.update(o, .persona)
    let text = try f.read("personas.toml")
    #expect(text.contains("description = 'Plans it'   # a literal string"))
    #expect(text.contains("  # dotted\nbias_profile_id = \"Balanced\"\n"), "\(text)")
    #expect(text.contains("max_output_tokens = 0x2000") && text.contains("temperature = 2e-1"))
  }

  @Test func aDottedTierAssignmentIsEditedWhereItIs() throws {
    let f = try fixture()
    var m = f.manager()
    var o = try #require(m.config.personas["Orchestrator"])
    o.tierAssignments[0].settings.maxOutputTokens = 4096
    o.tierAssignments.append(TierAssignment(tierKey: "tier3", settings: ModelSettings(model: "claude-sonnet-4-5")))
    try m.update(o, .persona)
    let d = Self.diff(Self.personas, try f.read("personas.toml"))
    #expect(
      d.removed == ["tier_assignments.tier4 = { model = \"claude-haiku-4-5\", max_output_tokens = 8_192 }  # dotted"])
    #expect(
      d.added == [
        "tier_assignments.tier4 = { model = \"claude-haiku-4-5\", max_output_tokens = 4096 }  # dotted",
        "tier_assignments.tier3 = { model = \"claude-sonnet-4-5\" }",
      ], "\(d)")
  }

  @Test func renameChangesTheHeaderAndTheReferencesOnly() throws {
    let f = try fixture()
    let mma = try f.read("mma.toml")
    var m = f.manager()
    try m.rename(.persona, "Tech Lead", to: "Tech Leader")
    let d = Self.diff(Self.personas, try f.read("personas.toml"))
    #expect(d.removed == ["[personas.\"Tech Lead\"]  # a comment on a header"])
    #expect(d.added == ["[personas.\"Tech Leader\"]  # a comment on a header"])
    let dm = Self.diff(mma, try f.read("mma.toml"))
    #expect(
      dm.removed == ["tier2 = \"Tech Lead\"  # reviews"] && dm.added == ["tier2 = \"Tech Leader\"  # reviews"], "\(dm)")
  }

  @Test func deleteTakesTheEntryAndTheCommentAboveIt() throws {
    let f = try fixture()
    var m = f.manager()
    try m.delete(.persona, "Worker", force: true)
    let d = Self.diff(Self.personas, try f.read("personas.toml"))
    #expect(d.added.isEmpty, "\(d)")
    #expect(
      d.removed == [
        "# Worker: the one who does it.", "[personas.Worker]", "description = \"Tier 3: implements one ticket\"",
        "tool_preset_id = \"Full\"   # all tools",
        "preferred_models = [{ provider = \"anthropic\", model = \"claude-sonnet-4-5\", temperature = 0.2 }]", "",
      ], "\(d)")
    #expect(try f.read("mma.toml").contains("# tiers\n[tiers]\ntier1 = \"Orchestrator\"  # the planner\n"))
  }

  @Test func duplicateGoesRightAfterTheOriginal() throws {
    let f = try fixture()
    var m = f.manager()
    try m.duplicate(.persona, "Tech Lead")
    let text = try f.read("personas.toml")
    let d = Self.diff(Self.personas, text)
    #expect(d.removed.isEmpty, "\(d)")
    #expect(f.manager().config.personas.names.prefix(3) == ["Orchestrator", "Tech Lead", "Tech Lead (copy)"])
  }

  @Test func crlfAndAMissingFinalNewlineAreKept() throws {
    let text = Self.personas.replacingOccurrences(of: "\n", with: "\r\n").dropLast(1)  // ("\r\n" is one Character)
    let f = try fixture(String(text))
    var m = f.manager()
    var q = try #require(m.config.personas["Security Reviewer"])
    q.description = "Reads diffs"
    try m.update(q, .persona)
    let bytes = try #require(f.data("personas.toml"))
    let saved = String(decoding: bytes, as: UTF8.self)
    #expect(saved.hasSuffix("description = \"Reads diffs\""), "\(saved.suffix(80))")
    #expect(!bytes.enumerated().contains { $0.element == 0x0A && ($0.offset == 0 || bytes[$0.offset - 1] != 0x0D) })
  }

  @Test func anInlineTablePersonaStaysInline() throws {
    let f = try fixture("[personas]\nInline = { description = \"x\", tool_preset_id = \"Full\" }  # one line\n")
    var m = f.manager()
    var p = try #require(m.config.personas["Inline"])
    p.description = "y"
    try m.update(p, .persona)
    #expect(
      try f.read("personas.toml")
        == "[personas]\nInline = { description = \"y\", tool_preset_id = \"Full\" }  # one line\n")
  }

  /// The conductor's status saves keep a hand-written track's comments.
  @Test func aTicketSaveKeepsTheTracksComments() throws {
    let f = try fixture()
    let track =
      "# auth\ntitle = 'Auth'   # literal\n\n[[tickets]]  # first\nid = \"A\"\nstatus = \"todo\"  # not yet\n\n# then\n[[tickets]]\nid = \"B\"\n"
    try f.write("tracks/t.toml", track)
    var m = f.manager()
    var t = try #require(m.config.tracks["t"])
    t.tickets[0].status = "done"
    t.tickets[1].status = "in_progress"
    try m.saveTrack(t)
    let d = Self.diff(track, try f.read("tracks/t.toml"))
    #expect(d.removed == ["status = \"todo\"  # not yet"])
    #expect(d.added == ["status = \"done\"  # not yet", "status = \"in_progress\""], "\(d)")
  }
}
