import Foundation
import TestSupport
import Testing

@testable import PersonaKit

/// The property behind "one set of rules": random edits through every write path of
/// PersonaManager (create, update, rename, duplicate, delete, import, tiers, tickets, AI
/// Settings), valid or not — after each, `validate` reports no error it did not report before.
/// A refused change leaves every file as it was.
@Suite struct NoSaveAddsAnErrorTests {
  static let providers = ["anthropic", "openai", "gemini", "nope"]
  static let models = ["claude-sonnet-4-5", "gpt-5", "gpt-5-mini", "gemini-2.5-flash", "made-up"]
  static let refs = ["Worker base", "Full", "Read-only", "Balanced", "Missing"]

  func randomSettings(_ rng: inout SplitMix) -> ModelSettings {
    ModelSettings(
      provider: Self.providers.randomElement(using: &rng), model: Self.models.randomElement(using: &rng),
      temperature: Bool.random(using: &rng) ? Double(Int.random(in: -2...25, using: &rng)) / 10 : nil,
      topP: Bool.random(using: &rng) ? Double(Int.random(in: -2...12, using: &rng)) / 10 : nil,
      maxOutputTokens: Bool.random(using: &rng) ? Int.random(in: -10...300_000, using: &rng) : nil)
  }

  func randomPersona(_ name: String, _ rng: inout SplitMix) -> Persona {
    var p = Persona(name: name, description: "random")
    if Bool.random(using: &rng) { p.toolPresetID = Self.refs.randomElement(using: &rng) }
    if Bool.random(using: &rng) { p.biasProfileID = Self.refs.randomElement(using: &rng) }
    if Bool.random(using: &rng) { p.systemPromptPresetID = Self.refs.randomElement(using: &rng) }
    p.preferredModels = (0..<Int.random(in: 0...2, using: &rng)).map { _ in randomSettings(&rng) }
    return p
  }

  @Test(arguments: [1, 2, 3] as [UInt64])
  func noWritePathEverAddsAValidationError(seed: UInt64) throws {
    var rng = SplitMix(seed: seed)
    let f = try Fixture()
    var names = ["Orchestrator", "Tech Lead", "Worker", "QA Analyst", "Security Reviewer", "Gone", ""]
    var refused = 0
    for step in 0..<80 {
      let before = f.load()
      let errorsBefore = Validator.validate(before)
      let bytesBefore = Self.snapshot(f)
      var m = PersonaManager(before)
      let name = names.randomElement(using: &rng)!
      var what = ""
      var renamed: (ConfigFileKind, String, String)?
      do {
        switch Int.random(in: 0..<9, using: &rng) {
        case 0:
          let n = "P\(step)"
          what = "create \(n)"
          try m.create(randomPersona(n, &rng), .persona, scope: .global)
          names.append(n)
        case 1:
          what = "update \(name)"
          guard var p = m.config.personas[name] else { continue }
          let other = randomPersona(name, &rng)
          p.preferredModels = other.preferredModels
          p.toolPresetID = other.toolPresetID
          try m.update(p, .persona)
        case 2:
          let n = Bool.random(using: &rng) ? "R\(step)" : names.randomElement(using: &rng)!
          what = "rename \(name) → \(n)"
          renamed = (.personas, name, n)
          try m.rename(.persona, name, to: n)
          names.append(n)
        case 3:
          what = "duplicate \(name)"
          names.append(try m.duplicate(.persona, name))
        case 4:
          what = "delete \(name)"
          try m.delete(.persona, name, force: Bool.random(using: &rng))
        case 5:
          what = "import"
          try m.importPersonas(
            [randomPersona("I\(step)", &rng), randomPersona(names.randomElement(using: &rng)!, &rng)],
            scope: .global, replace: Bool.random(using: &rng))
        case 6:
          let tier = Int.random(in: 0...5, using: &rng)
          what = "tier \(tier) → \(name)"
          try m.assignTier(tier, persona: Bool.random(using: &rng) ? name : nil)
        case 7:
          what = "ticket"
          guard var t = m.config.tracks["auth"], !t.tickets.isEmpty else { continue }
          let i = Int.random(in: 0..<t.tickets.count, using: &rng)
          t.tickets[i].tier = Int.random(in: 0...5, using: &rng)
          t.tickets[i].personaID = Bool.random(using: &rng) ? name : nil
          t.tickets[i].status = ["todo", "done", "weird"].randomElement(using: &rng)!
          try m.saveTrack(t)
        default:
          what = "AI Settings"
          var s = m.config.aiSettings
          s.personaID = Bool.random(using: &rng) ? name : nil
          let r = randomSettings(&rng)
          s.overrides = TOMLDict()
          if let t = r.temperature { s.overrides["temperature"] = .float(t) }
          if Bool.random(using: &rng), let p = r.provider { s.overrides["provider"] = .string(p) }
          try m.saveAISettings(s)
        }
      } catch {
        refused += 1
        #expect(Self.snapshot(f) == bytesBefore, "step \(step) \(what): refused (\(error)) but a file changed")
        continue
      }
      var had = errorsBefore
      if let (kind, old, new) = renamed { had = had.map { Rules.rename($0, kind, old, new) } }
      let added = Rules.added(had, Validator.validate(f.load()))
      #expect(added.isEmpty, "step \(step) \(what) added: \(added.map(\.description))")
    }
    // The random edits are a mix: some go through, some are refused.
    #expect(refused > 5 && refused < 75, "\(refused) refused")
  }

  /// Every file of the config dir, with its bytes.
  static func snapshot(_ f: Fixture) -> [String: Data] {
    var out: [String: Data] = [:]
    let e = FileManager.default.enumerator(atPath: f.global.path)
    while let p = e?.nextObject() as? String {
      if p.hasSuffix(".bak") || p.hasSuffix(".lock") { continue }
      if let d = FileManager.default.contents(atPath: f.global.appendingPathComponent(p).path) { out[p] = d }
    }
    return out
  }
}
