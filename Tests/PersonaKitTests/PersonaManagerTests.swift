import DramatisResources
import Foundation
import Testing

@testable import PersonaKit

@Suite struct PersonaManagerTests {
  @Test func createReadUpdateDeletePersona() throws {
    let f = try Fixture()
    var m = f.manager()
    var p = Persona(
      name: "Docs Writer", description: "Writes docs", systemPromptPresetID: "Worker base", toolPresetID: "Full",
      preferredModels: [ModelSettings(provider: "openai", model: "gpt-5", temperature: 0.7)])
    try m.create(p, .persona, scope: .global)
    #expect(f.manager().config.personas["Docs Writer"]?.preferredModels.first?.model == "gpt-5")
    #expect(throws: ConfigError.alreadyExists(kind: "persona", name: "Docs Writer", scope: .global)) {
      try m.create(p, .persona, scope: .global)
    }
    p.description = "Writes better docs"
    try m.update(p, .persona)
    #expect(f.manager().config.personas["Docs Writer"]?.description == "Writes better docs")
    try m.delete(.persona, "Docs Writer")
    #expect(f.manager().config.personas["Docs Writer"] == nil)
    #expect(throws: ConfigError.notFound(kind: "persona", name: "Docs Writer")) {
      try m.delete(.persona, "Docs Writer")
    }
  }

  @Test func emptyOrControlCharacterNamesAreRefused() throws {
    let f = try Fixture()
    var m = f.manager()
    #expect(throws: ConfigError.self) { try m.create(Persona(name: "  "), .persona, scope: .global) }
    #expect(throws: ConfigError.self) { try m.create(Persona(name: "a\u{1B}[2J"), .persona, scope: .global) }
  }

  @Test func deleteInUseIsRefusedWithTheUsersThenForcedClearsThem() throws {
    let f = try Fixture()
    var m = f.manager()
    do {
      try m.delete(.persona, "Worker")
      Issue.record("expected a refusal")
    } catch {
      guard case .inUse(_, _, let users) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(users == ["mma.toml tier3", "mma.toml default_persona", "ai_settings.toml persona"])
    }
    #expect(f.manager().config.personas.contains("Worker"))
    let cleared = try m.delete(.persona, "Worker", force: true)
    #expect(cleared.map(\.place) == ["mma.toml tier3", "mma.toml default_persona", "ai_settings.toml persona"])
    let c = f.manager().config
    #expect(!c.personas.contains("Worker"))
    #expect(c.mma.persona(forTier: 3) == nil)
    #expect(c.mma.defaultPersona == nil)
    #expect(c.aiSettings.personaID == nil)
    #expect(Validator.hasErrors(Validator.validate(f.load())) == false)
  }

  @Test func deletingATicketOverridePersonaListsTheTicket() throws {
    let f = try Fixture()
    var m = f.manager()
    #expect(m.references(.persona, "Security Reviewer").map(\.place) == ["track auth ticket T-004"])
    try m.delete(.persona, "Security Reviewer", force: true)
    #expect(f.manager().config.tracks["auth"]?.ticket("T-004")?.personaID == nil)
  }

  @Test func renameUpdatesEveryReferenceInOneStep() throws {
    let f = try Fixture()
    var m = f.manager()
    try m.rename(.persona, "Security Reviewer", to: "AppSec")
    try m.rename(.persona, "Worker", to: "Builder")
    let c = f.manager().config
    #expect(c.personas.names.contains("AppSec"))
    #expect(!c.personas.names.contains("Worker"))
    #expect(c.tracks["auth"]?.ticket("T-004")?.personaID == "AppSec")
    #expect(c.mma.persona(forTier: 3) == "Builder")
    #expect(c.mma.defaultPersona == "Builder")
    #expect(c.aiSettings.personaID == "Builder")
    // The renamed persona keeps its place in the file.
    #expect(c.personas.names == ["Orchestrator", "Tech Lead", "Builder", "QA Analyst", "AppSec"])
    #expect(throws: ConfigError.self) { try m.rename(.persona, "Builder", to: "Orchestrator") }
    #expect(Validator.hasErrors(Validator.validate(f.load())) == false)
  }

  @Test func trackPersonaReferenceIsRenamedToo() throws {
    let f = try Fixture()
    try f.write("tracks/other.toml", "title = \"t\"\npersona_id = \"Tech Lead\"\n")
    var m = f.manager()
    let updated = try m.rename(.persona, "Tech Lead", to: "Lead")
    #expect(updated.map(\.place).contains("track other persona_id"))
    #expect(f.manager().config.tracks["other"]?.personaID == "Lead")
  }

  @Test func duplicateAddsACopyAfterTheOriginal() throws {
    let f = try Fixture()
    var m = f.manager()
    #expect(try m.duplicate(.persona, "Worker") == "Worker (copy)")
    #expect(try m.duplicate(.persona, "Worker") == "Worker (copy 2)")
    #expect(try m.duplicate(.persona, "Worker", as: "Worker B") == "Worker B")
    let c = f.manager().config
    #expect(
      Array(c.personas.names.prefix(6)) == [
        "Orchestrator", "Tech Lead", "Worker", "Worker B", "Worker (copy 2)", "Worker (copy)",
      ])
    #expect(c.personas["Worker (copy)"]?.preferredModels == c.personas["Worker"]?.preferredModels)
    // A copy is not a user of anything: no references were added.
    #expect(m.references(.persona, "Worker (copy)").isEmpty)
  }

  @Test func presetsToolPresetsAndBiasProfilesHaveTheSameRules() throws {
    let f = try Fixture()
    var m = f.manager()
    // Preset: in use by a persona.
    #expect(throws: ConfigError.self) { try m.delete(.preset, "Worker base") }
    try m.rename(.preset, "Worker base", to: "Implementer base")
    #expect(f.manager().config.personas["Worker"]?.systemPromptPresetID == "Implementer base")
    try m.create(SystemPromptPreset(name: "Spare", systemPrompt: "x"), .preset, scope: .global)
    try m.delete(.preset, "Spare")
    // Tool preset.
    #expect(m.references(.toolPreset, "Read-only").count == 3)
    try m.rename(.toolPreset, "Read-only", to: "Readers")
    #expect(f.manager().config.personas["Orchestrator"]?.toolPresetID == "Readers")
    let copy = try m.duplicate(.toolPreset, "Full")
    #expect(
      f.manager().config.toolPresets[copy]?.allTools.count == f.manager().config.toolPresets["Full"]?.allTools.count)
    try m.delete(.toolPreset, copy)
    // Bias profile, with an AI Settings override naming it.
    try f.write("ai_settings.toml", "persona = \"Worker\"\n[overrides]\nbias_profile_id = \"Balanced\"\n")
    m = f.manager()
    #expect(
      m.references(.biasProfile, "Balanced").map(\.place) == [
        "persona \"Tech Lead\"", "ai_settings.toml overrides.bias_profile_id",
      ])
    try m.delete(.biasProfile, "Balanced", force: true)
    let c = f.manager().config
    #expect(c.personas["Tech Lead"]?.biasProfileID == nil)
    #expect(c.aiSettings.overrides["bias_profile_id"] == nil)
    #expect(Validator.hasErrors(Validator.validate(f.load())) == false)
  }

  @Test func projectEntriesReplaceGlobalOnesAndSaveToTheirScope() throws {
    let f = try Fixture(project: true)
    try f.write("personas.toml", "[personas.Worker]\ndescription = \"project worker\"\n", scope: .project)
    try f.write("mma.toml", "[tiers]\ntier2 = \"Worker\"\n", scope: .project)
    var m = f.manager()
    let entry = m.config.personas.scoped("Worker")!
    #expect(entry.scope == .project && entry.shadowsGlobal)
    #expect(m.config.mma.persona(forTier: 2) == "Worker")
    #expect(m.config.mma.persona(forTier: 1) == "Orchestrator")
    let globalBefore = f.data("personas.toml")
    var w = entry.value
    w.description = "edited"
    try m.update(w, .persona)
    #expect(f.data("personas.toml") == globalBefore)
    #expect(try f.read("personas.toml", scope: .project).contains("edited"))
    // Deleting the project entry shows the global one again; references stay valid.
    try m.delete(.persona, "Worker", force: true)
    #expect(f.manager().config.personas.scoped("Worker")?.scope == .global)
    #expect(f.manager().config.mma.persona(forTier: 2) == "Worker")
    try m.create(Persona(name: "Local"), .persona, scope: .project)
    #expect(f.manager().config.personas.scoped("Local")?.scope == .project)
  }

  @Test func noProjectDirIsAClearError() throws {
    let f = try Fixture()
    var m = f.manager()
    #expect(throws: ConfigError.noProjectDir) { try m.create(Persona(name: "P"), .persona, scope: .project) }
  }

  @Test func assignTierWritesMMA() throws {
    let f = try Fixture()
    var m = f.manager()
    try m.assignTier(3, persona: "Security Reviewer")
    #expect(f.manager().config.mma.persona(forTier: 3) == "Security Reviewer")
    try m.assignTier(3, persona: nil)
    #expect(f.manager().config.mma.persona(forTier: 3) == nil)
    #expect(throws: ConfigError.self) { try m.assignTier(5, persona: "Worker") }
    #expect(throws: ConfigError.self) { try m.assignTier(2, persona: "Nobody") }
  }
}

@Suite struct ConfigPathsTests {
  @Test func precedenceOfTheConfigDir() {
    let env = ["DRAMATIS_CONFIG_DIR": "/env/dir", "XDG_CONFIG_HOME": "/xdg", "HOME": "/home/u"]
    #expect(ConfigPaths.resolve(configDir: "/flag", project: nil, environment: env).global.path == "/flag")
    #expect(ConfigPaths.resolve(configDir: nil, project: nil, environment: env).global.path == "/env/dir")
    var e = env
    e["DRAMATIS_CONFIG_DIR"] = nil
    #expect(ConfigPaths.resolve(configDir: nil, project: nil, environment: e).global.path == "/xdg/dramatis")
    e["XDG_CONFIG_HOME"] = nil
    #expect(ConfigPaths.resolve(configDir: nil, project: nil, environment: e).global.path == "/home/u/.config/dramatis")
    #expect(
      ConfigPaths.resolve(configDir: "rel", project: nil, environment: e, currentDirectory: "/work").global.path
        == "/work/rel")
  }

  @Test func projectDirIsFlagOrDotDramatisWhenPresent() throws {
    let f = try Fixture(defaults: false)
    #expect(
      ConfigPaths.resolve(configDir: "/g", project: nil, environment: [:], currentDirectory: f.root.path).project == nil
    )
    try FileManager.default.createDirectory(
      at: f.root.appendingPathComponent(".dramatis"), withIntermediateDirectories: true)
    #expect(
      ConfigPaths.resolve(configDir: "/g", project: nil, environment: [:], currentDirectory: f.root.path).project?.path
        == f.root.appendingPathComponent(".dramatis").path)
    #expect(ConfigPaths.resolve(configDir: "/g", project: "/p", environment: [:]).project?.path == "/p")
  }

  @Test func bootstrapFillsOnlyANewOrEmptyDir() throws {
    let f = try Fixture(defaults: false)
    #expect(try Workspace.bootstrap(f.global, files: DefaultConfigFiles.files))
    #expect(FileManager.default.fileExists(atPath: f.url("tracks/auth.toml").path))
    try FileManager.default.removeItem(at: f.url("personas.toml"))
    // A dir the user already has is never touched again.
    #expect(try Workspace.bootstrap(f.global, files: DefaultConfigFiles.files) == false)
    #expect(!FileManager.default.fileExists(atPath: f.url("personas.toml").path))
  }
}
