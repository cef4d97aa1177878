import Foundation
import Testing

@testable import PersonaKit

/// One set of rules: whatever path writes the configuration, it asks `Rules` first, and a change
/// that would add a validation error is refused before anything is written.
@Suite struct OneSetOfRulesTests {
  /// AI Settings' "Save to persona" and the Persona Editor ask the same rule: a temperature of 1.8
  /// for anthropic (range 0–1) is refused, and the file is not touched.
  @Test func savingAPersonaOutsideItsProvidersRangeIsRefusedOnEveryPath() throws {
    let f = try Fixture()
    let before = try f.read("personas.toml")
    var m = f.manager()
    var worker = try #require(m.config.personas["Worker"])
    worker.preferredModels[0].temperature = 1.8
    #expect(throws: ConfigError.self) { try m.update(worker, .persona) }
    #expect(!m.problems(for: worker).isEmpty)
    worker.name = "Worker 2"
    #expect(throws: ConfigError.self) { try m.create(worker, .persona, scope: .global) }
    do {
      try m.importPersonas([worker], scope: .global, replace: false)
      Issue.record("expected a refusal")
    } catch {
      #expect(error.description.contains("1.8 is outside anthropic's range 0.0–1.0"), "\(error)")
    }
    #expect(try f.read("personas.toml") == before)
    #expect(!Validator.hasErrors(Validator.validate(f.load())))
  }

  /// The AI Settings panel: a state whose override is out of the bound persona's provider range
  /// is refused like a persona.
  @Test func anAISettingsStateThatDoesNotValidateIsNotSaved() throws {
    let f = try Fixture()
    var m = f.manager()
    var s = m.config.aiSettings
    s.overrides["temperature"] = .float(1.8)
    #expect(throws: ConfigError.self) { try m.saveAISettings(s) }
    s.overrides["temperature"] = .float(0.9)
    try m.saveAISettings(s)
    #expect(!Validator.hasErrors(Validator.validate(f.load())))
  }

  /// A file that already has a problem the change does not touch can still be saved (the rules
  /// refuse only what a change adds).
  @Test func aProblemAlreadyThereDoesNotStopAnotherChange() throws {
    let f = try Fixture()
    try f.write("mma.toml", try f.read("mma.toml") + "\n[tiers_typo]\n")
    try f.write(
      "tracks/auth.toml",
      try f.read("tracks/auth.toml").replacingOccurrences(
        of: "tier = 3\ndepends_on = []", with: "tier = 9\ndepends_on = []"))
    var m = f.manager()
    var track = try #require(m.config.tracks["auth"])
    track.tickets[1].description = "changed"
    try m.saveTrack(track)
    #expect(try f.read("tracks/auth.toml").contains("changed"))
    // Adding a second problem to it is refused.
    track.tickets[2].tier = 7
    #expect(throws: ConfigError.self) { try m.saveTrack(track) }
  }

  /// Changing the provider moves the model to one that provider lists, in AI Settings as in the
  /// Persona Editor (the rule is `Config.model(_:afterChangingProviderTo:)`).
  @Test func anotherProviderBringsAModelItLists() throws {
    let f = try Fixture()
    let config = f.load().config
    let s = LiveBinding.edit(.provider, to: .string("openai"), in: config.aiSettings, config: config)
    let model = try #require(s.overrides["model"]?.stringValue)
    #expect(config.providers["openai"]!.models.contains(model))
    #expect(config.model("claude-sonnet-4-5", afterChangingProviderTo: "anthropic") == "claude-sonnet-4-5")
    // Back to the persona's provider: both fields follow the persona again.
    let back = LiveBinding.edit(.provider, to: .string("anthropic"), in: s, config: config)
    #expect(back.overrides["provider"] == nil)
  }

  /// validate warns when the AI Settings provider does not list the model shown.
  @Test func aProviderWithoutTheModelIsAWarning() throws {
    let f = try Fixture()
    try f.write("ai_settings.toml", "persona = \"Worker\"\n[overrides]\nprovider = \"openai\"\n")
    let d = Validator.validate(f.load())
    #expect(
      d.contains { $0.severity == .warning && $0.message.contains("\"claude-sonnet-4-5\" is not in openai's catalog") },
      "\(d)")
  }

  /// A tier assignment naming only a model moves to the provider that lists it, as a ticket's
  /// model_override does; a model no provider lists is a warning.
  @Test func aTierOverridesModelFollowsTheProviderRule() throws {
    let f = try Fixture()
    var text = try f.read("personas.toml")
    text += "\n[personas.Tiered]\npreferred_models = [{ provider = \"anthropic\", model = \"claude-sonnet-4-5\" }]\n"
    text +=
      "tier_assignments.tier4 = { model = \"gpt-5-mini\" }\ntier_assignments.tier3 = { model = \"nobody-lists-me\" }\n"
    try f.write("personas.toml", text)
    try f.write("mma.toml", "[tiers]\ntier4 = \"Tiered\"\ntier3 = \"Tiered\"\n")
    let ws = f.load()
    let r = Resolver(ws.config)
    let tier4 = r.resolve(tier: 4, track: nil, ticket: nil)
    #expect(tier4.provider.value == "openai")
    #expect(tier4.model.value == "gpt-5-mini")
    let d = Validator.validate(ws)
    #expect(
      d.contains { $0.subject.contains("tier3.model") && $0.message.contains("not in anthropic's catalog") }, "\(d)")
    #expect(!d.contains { $0.subject.contains("tier4") }, "\(d)")
  }

  /// Typos in keys are warnings with their place and the nearest known key; the keys stay.
  @Test func unknownKeysAreWarningsWithADidYouMean() throws {
    let f = try Fixture()
    try f.write(
      "personas.toml",
      try f.read("personas.toml")
        + """

        [personas.Typo]
        colour = "red"
        preferred_models = [{ provider = "openai", model = "gpt-5", temprature = 0.3 }]
        tier_assignments.tier2 = { modle = "gpt-5-mini" }

        """)
    let d = Validator.validate(f.load()).filter { $0.subject.hasPrefix("[personas.Typo]") }
    let messages = d.map(\.message)
    #expect(messages.contains("unknown key \"temprature\", kept (did you mean \"temperature\"?)"), "\(messages)")
    #expect(messages.contains("unknown key \"modle\", kept (did you mean \"model\"?)"), "\(messages)")
    #expect(messages.contains("unknown key \"colour\", kept"), "\(messages)")
    #expect(d.allSatisfy { $0.severity == .warning && $0.line != nil })
    // Kept on save.
    var m = f.manager()
    var p = try #require(m.config.personas["Typo"])
    p.description = "saved"
    try m.update(p, .persona)
    let saved = try f.read("personas.toml")
    #expect(saved.contains("colour") && saved.contains("temprature") && saved.contains("modle"))
  }

  /// Import goes through the rules of create: an empty name is refused, every refused persona is
  /// named, and nothing is written.
  @Test func importRefusesWhatCreateRefusesAndNamesEveryOne() throws {
    let f = try Fixture()
    let before = try f.read("personas.toml")
    var m = f.manager()
    do {
      try m.importPersonas(
        [Persona(name: ""), Persona(name: "Worker"), Persona(name: "Tech Lead"), Persona(name: "Fine")],
        scope: .global, replace: false)
      Issue.record("expected a refusal")
    } catch .refused(let problems) {
      #expect(problems.count == 3)
      #expect(problems[0].message == "a persona needs a name that is not empty")
      #expect(problems[1].message.contains("\"Worker\" already exists"))
      #expect(problems[2].message.contains("\"Tech Lead\" already exists"))
    } catch {
      Issue.record("\(error)")
    }
    #expect(try f.read("personas.toml") == before)
    #expect(throws: ConfigError.self) { try m.create(Persona(name: ""), .persona, scope: .global) }
  }

  /// One syntax error in personas.toml: validate reports it, says once that references into it
  /// could not be checked, and does not call every reference unknown.
  @Test func aBrokenPersonasFileGivesOneErrorNotOnePerReference() throws {
    let f = try Fixture()
    try f.write("personas.toml", try f.read("personas.toml") + "\n[personas.broken\n")
    let d = Validator.validate(f.load())
    #expect(d.filter { $0.severity == .error }.count == 1, "\(d)")
    #expect(!d.contains { $0.message.hasPrefix("unknown persona") })
    #expect(d.contains { $0.message == "references to personas could not be checked: the file does not parse" })
  }

  /// Small gaps: rename to the same name is refused; a name not found suggests the near one.
  @Test func smallRuleGaps() throws {
    let f = try Fixture()
    var m = f.manager()
    #expect(throws: ConfigError.self) { try m.rename(.persona, "Worker", to: "Worker") }
    #expect(m.notFound(.persona, "worker").description == "no persona named \"worker\" (did you mean \"Worker\"?)")
    #expect(m.notFound(.persona, "zzzzzz").description == "no persona named \"zzzzzz\"")
    #expect(Suggest.nearest("temprature", among: ["temperature", "top_p"]) == "temperature")
    #expect(Suggest.nearest("xyz", among: ["temperature"]) == nil)
    #expect(m.config.provider(serving: "gpt-5", current: nil) == "openai")
  }

  /// A rehearsal goes through every check and writes nothing.
  @Test func aRehearsalWritesNothing() throws {
    let f = try Fixture()
    var ws = f.load()
    ws.rehearsal = true
    var m = PersonaManager(ws)
    let before = try FileManager.default.contentsOfDirectory(atPath: f.global.path).sorted()
    let bytes = try f.read("personas.toml")
    do {
      try m.create(Persona(name: "New"), .persona, scope: .global)
      Issue.record("expected notWritten")
    } catch .notWritten(let paths) {
      #expect(paths == [f.url("personas.toml").path])
    } catch {
      Issue.record("\(error)")
    }
    // The rules come first: an invalid change is refused as such.
    var w = try #require(m.config.personas["Worker"])
    w.preferredModels[0].temperature = 5
    #expect(throws: ConfigError.self) { try m.update(w, .persona) }
    #expect(try f.read("personas.toml") == bytes)
    #expect(try FileManager.default.contentsOfDirectory(atPath: f.global.path).sorted() == before)
  }
}
