import Foundation
import Testing

@testable import PersonaKit

@Suite struct LiveBindingTests {
  @Test func selectingAPersonaFillsEveryField() throws {
    let f = try Fixture()
    let config = f.load().config
    let s = LiveBinding.select("Worker", in: AISettings())
    let fields = LiveBinding.fields(s, config: config)
    #expect(fields[.provider]?.value == .string("anthropic"))
    #expect(fields[.model]?.value == .string("claude-sonnet-4-5"))
    #expect(fields[.temperature]?.value == .float(0.2))
    #expect(fields[.topP]?.value == .float(1.0))  // the provider's default
    #expect(fields[.maxOutputTokens]?.value == .integer(8192))
    #expect(fields[.toolPresetID]?.value == .string("Full"))
    #expect(fields[.biasProfileID]?.value == .string("Execution-Focused"))
    #expect(fields.values.allSatisfy { !$0.modified })
  }

  @Test func editedFieldsAreUnboundAndKeepTheirValueWhenThePersonaChanges() throws {
    let f = try Fixture()
    var m = f.manager()
    var s = LiveBinding.select("Worker", in: AISettings())
    s = LiveBinding.edit(.model, to: .string("gpt-5"), in: s, config: m.config)
    try m.saveAISettings(s)
    // The persona changes on disk (as another program would write it).
    var worker = m.config.personas["Worker"]!
    worker.preferredModels[0].model = "claude-opus-4-1"
    worker.preferredModels[0].temperature = 0.6
    try m.update(worker, .persona)
    let fresh = f.load().config
    let fields = LiveBinding.fields(fresh.aiSettings, config: fresh)
    #expect(
      fields[.model] == PanelField(value: .string("gpt-5"), modified: true, personaValue: .string("claude-opus-4-1")))
    #expect(fields[.temperature]?.value == .float(0.6))  // bound: follows the persona
    #expect(fields[.temperature]?.modified == false)
    // Revert re-binds.
    let reverted = LiveBinding.fields(LiveBinding.revert(.model, in: fresh.aiSettings), config: fresh)
    #expect(reverted[.model]?.value == .string("claude-opus-4-1"))
    #expect(LiveBinding.revert(nil, in: fresh.aiSettings).overrides.isEmpty)
    // Setting the persona's own value back also re-binds.
    let same = LiveBinding.edit(.model, to: .string("claude-opus-4-1"), in: fresh.aiSettings, config: fresh)
    #expect(same.overrides.isEmpty)
  }

  @Test func selectingAnotherPersonaDropsTheEdits() throws {
    let f = try Fixture()
    let c = f.load().config
    var s = LiveBinding.select("Worker", in: AISettings())
    s = LiveBinding.edit(.temperature, to: .float(0.9), in: s, config: c)
    s = LiveBinding.select("QA Analyst", in: s)
    #expect(s.overrides.isEmpty)
    #expect(LiveBinding.fields(s, config: c)[.provider]?.value == .string("gemini"))
  }

  @Test func saveToPersonaListsTheChangesAndWritesThem() throws {
    let f = try Fixture()
    var m = f.manager()
    var s = LiveBinding.select("Worker", in: AISettings())
    s = LiveBinding.edit(.temperature, to: .float(0.5), in: s, config: m.config)
    s = LiveBinding.edit(.toolPresetID, to: .string("Read-only"), in: s, config: m.config)
    let (persona, changes) = LiveBinding.saveToPersona(s, config: m.config)!
    #expect(changes.map(\.description) == ["Temperature: 0.2 → 0.5", "Tool preset: \"Full\" → \"Read-only\""])
    try m.update(persona, .persona)
    let c = f.load().config
    #expect(c.personas["Worker"]?.preferredModels[0].temperature == 0.5)
    #expect(c.personas["Worker"]?.preferredModels[1].model == "gpt-5")  // the rest untouched
    #expect(c.personas["Worker"]?.toolPresetID == "Read-only")
    // Now the panel's values equal the persona's: nothing left to save.
    #expect(LiveBinding.saveToPersona(s, config: c)?.1.isEmpty == true)
  }

  @Test func panelStateRoundTripsThroughAISettingsToml() throws {
    let f = try Fixture()
    var m = f.manager()
    var s = LiveBinding.select("Tech Lead", in: AISettings())
    s = LiveBinding.edit(.maxOutputTokens, to: .integer(1234), in: s, config: m.config)
    try m.saveAISettings(s)
    let text = try f.read("ai_settings.toml")
    #expect(text.contains("persona = \"Tech Lead\""))
    #expect(text.contains("max_output_tokens = 1234"))
    #expect(f.load().config.aiSettings == s)
  }
}
