import Foundation
import Testing

@testable import PersonaKit

/// `PersonaManager.problems(for:)` checks only the persona it is given. It must report exactly what
/// validating the whole configuration with that persona put in would report about it — which is
/// what it did before, at the cost of a full validation per persona (10,000 personas: 365 M
/// instructions per save; `personas import` of N personas: N of them).
@Suite struct PersonaProblemsTests {
  /// The whole configuration validated with the persona put in its scope — less the problems read
  /// from the file it is saved to, which the save writes anew.
  func everything(_ m: PersonaManager, _ persona: Persona, replacing: String? = nil) -> [Diagnostic] {
    var probe = m.workspace
    let scope = m.scopeOf(.persona, replacing ?? persona.name) ?? .global
    let savedTo = m.workspace.file(.file(.personas, scope))?.path
    var data = probe.scopes[scope] ?? ScopeData()
    data.personas.removeAll { $0.name == persona.name || $0.name == replacing }
    data.personas.append(persona)
    probe.scopes[scope] = data
    let subject = "[personas.\(TOMLWriter.formatKey(persona.name))]"
    let readHere = Set(m.workspace.readDiagnostics.filter { $0.file == savedTo }.map(\.description))
    return Validator.validate(probe).filter {
      $0.severity == .error && $0.subject.hasPrefix(subject) && !readHere.contains($0.description)
    }
  }

  /// A persona whose entry in the file has a wrong type can be saved once the editor holds a
  /// good value (it was refused for the problem it was fixing: "not saved: description: expected
  /// a string, found an integer"); the file then holds the fix. A wrong type in the other scope's
  /// file, which the save does not write, still counts.
  @Test func aWrongTypeInTheFileDoesNotStopItsFix() throws {
    let f = try Fixture(project: true)
    try f.write("personas.toml", "[personas.Typed]\ndescription = 3\n", scope: .project)
    try f.write(
      "personas.toml", try f.read("personas.toml") + "\n[personas.Typed]\ndescription = \"global\"\n")
    var m = f.manager()
    #expect(m.workspace.readDiagnostics.contains { $0.subject.hasPrefix("[personas.Typed]") })
    var typed = try #require(m.config.personas["Typed"])
    typed.description = "fixed"
    #expect(m.problems(for: typed).isEmpty)
    try m.update(typed, .persona)
    #expect(try f.read("personas.toml", scope: .project).contains("description = \"fixed\""))
    #expect(f.manager().workspace.readDiagnostics.isEmpty)

    // A bad entry of that name in the global file, which a save to the project does not write,
    // is reported by validate before and after the save alike: the save does not add it, so it
    // does not stop the save.
    try f.write("personas.toml", "[personas.Typed]\ndescription = \"project\"\n", scope: .project)
    try f.write(
      "personas.toml",
      try f.read("personas.toml").replacingOccurrences(of: "description = \"global\"", with: "description = 4"))
    m = f.manager()
    #expect(m.scopeOf(.persona, "Typed") == .project)
    #expect(Validator.validate(m.workspace).contains { $0.message == "expected a string, found an integer" })
    let problems = m.problems(for: Persona(name: "Typed", description: "project, changed"))
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test func theSameProblemsAsValidatingEverything() throws {
    let f = try Fixture(project: true)
    // A persona of the same name in the project, broken; a persona whose file entry has a wrong
    // type (a problem found while reading); a persona named like a prefix of another.
    try f.write(
      "personas.toml",
      """
      [personas.Worker]
      description = "project worker"
      system_prompt_preset_id = "No such preset"
      preferred_models = [{ provider = "nobody", model = "m" }]

      [personas."Typed"]
      description = 3

      [personas.Work]
      description = "a prefix of Worker"
      tool_preset_id = "Missing"
      """, scope: .project)
    let m = f.manager()
    #expect(!m.workspace.readDiagnostics.isEmpty)
    let good = ModelSettings(provider: "anthropic", model: "claude-sonnet-4-5", temperature: 0.2)
    let cases: [(Persona, String?)] = [
      (Persona(name: "Brand New", description: "fine", preferredModels: [good]), nil),
      (Persona(name: "Orchestrator", systemPromptPresetID: "Nope", toolPresetID: "Nope", biasProfileID: "Nope"), nil),
      (
        Persona(
          name: "Tech Lead",
          preferredModels: [
            ModelSettings(
              provider: "anthropic", model: "claude-sonnet-4-5", temperature: 7, topP: 2, maxOutputTokens: -1),
            ModelSettings(provider: "nobody", model: ""), ModelSettings(),
          ],
          tierAssignments: [
            TierAssignment(tierKey: "tier9", settings: ModelSettings(temperature: 3)),
            TierAssignment(tierKey: "tier2", settings: good), TierAssignment(tierKey: "tier2", settings: good),
          ]), nil
      ),
      (Persona(name: "Worker", description: "global worker, fine", preferredModels: [good]), nil),
      (Persona(name: "Worker", toolPresetID: "Gone"), nil),
      (Persona(name: "Typed", description: "now a string"), nil),
      (Persona(name: "Work"), nil),
      (Persona(name: "  spaced  ", preferredModels: [good]), nil),
      (Persona(name: "", preferredModels: [good]), nil),
      (Persona(name: "Renamed", biasProfileID: "Nope"), "QA Analyst"),
      (Persona(name: "Worker", biasProfileID: "Nope"), "Orchestrator"),
    ]
    var reported = 0
    for (persona, replacing) in cases {
      let fast = m.problems(for: persona, replacing: replacing)
      #expect(fast == everything(m, persona, replacing: replacing), "\(persona.name) replacing \(replacing ?? "-")")
      reported += fast.count
    }
    #expect(reported >= 15, "the cases hold problems to compare")
  }
}
