import FoundationEssentials
import PersonaKit
import TermUI

/// A kind of draft: one file in `drafts/` of the global config dir.
protocol DraftFile {
  static var fileName: String { get }
}

extension DraftFile {
  static func file(_ paths: ConfigPaths) -> URL {
    paths.global.appendingPathComponent("drafts").appendingPathComponent(fileName)
  }

  static func discard(_ paths: ConfigPaths) {
    try? FileManager.default.removeItem(at: file(paths))
  }

}

/// Unsaved edits written when the program is ended by a signal (an ssh drop: SIGHUP; SIGTERM),
/// and offered at the next start. A draft never overwrites a file by itself: restoring it puts it
/// back into the editor, unsaved.
struct SavedDraft: Equatable, DraftFile {
  /// The persona the editor was editing (nil: a new one).
  var original: String?
  /// The persona as the form described it.
  var persona: Persona
  var savedAt: String

  static let fileName = "persona-editor.toml"

  func write(_ paths: ConfigPaths) {
    var meta = TOMLDict()
    meta.set("kind", "persona")
    meta.setNonEmpty("original", original)
    meta.set("saved_at", savedAt)
    meta.set("name", persona.name)
    Self.write(meta: meta, body: "persona", persona.table, to: Self.file(paths))
  }

  /// A draft file: a `[draft]` table of facts about it and the body (`[persona]`, `[ticket]`).
  static func write(meta: TOMLDict, body key: String, _ table: TOMLDict, to url: URL) {
    var root = TOMLDict()
    root["draft"] = .table(meta)
    root[key] = .table(table)
    try? AtomicFile.write(Data(TOMLWriter.write(root).utf8), to: url, previous: nil)
  }

  /// The `[draft]` table and the body of a draft file, when it is there and parses.
  static func read(body key: String, from url: URL) -> (meta: TOMLDict, reader: TableReader)? {
    guard let data = FileManager.default.contents(atPath: url.path), let parsed = try? TOMLParser.parse(data),
      let meta = parsed.root["draft"]?.tableValue, let table = parsed.root[key]?.tableValue
    else { return nil }
    return (meta, TableReader(table, path: [.key(key)], file: SourceFile(path: url.path)))
  }

  static func read(_ paths: ConfigPaths) -> SavedDraft? {
    guard let (meta, r) = read(body: "persona", from: file(paths)), let name = meta["name"]?.stringValue else {
      return nil
    }
    var reader = r
    return SavedDraft(
      original: meta["original"]?.stringValue, persona: Persona.read(name: name, &reader),
      savedAt: meta["saved_at"]?.stringValue ?? "")
  }

}

extension PersonaEditor {
  /// Fills the form from a draft (unsaved: the editor shows it modified).
  mutating func restore(_ draft: SavedDraft, config: Config) {
    let names = config.personas.names
    if let o = draft.original, let i = names.firstIndex(of: o) { list.select(index: i, in: names) }
    load(draft.original.flatMap { config.personas.contains($0) ? $0 : nil }, config: config)
    let p = draft.persona
    self.draft.name = TextFieldState(p.name)
    self.draft.description = TextFieldState(p.description)
    let first = p.preferredModels.first
    let o = Self.options(config, provider: first?.provider, persona: p)
    Self.choose(&self.draft.provider, first?.provider, in: o.providers)
    Self.choose(&self.draft.model, first?.model, in: o.models)
    self.draft.temperature.setValue(first?.temperature)
    self.draft.topP.setValue(first?.topP)
    self.draft.maxTokens.setValue(first?.maxOutputTokens.map(Double.init))
    Self.choose(&self.draft.preset, p.systemPromptPresetID, in: o.presets)
    self.draft.prompt = TextAreaState(p.systemPrompt ?? "")
    Self.choose(&self.draft.toolPreset, p.toolPresetID, in: o.toolPresets)
    Self.choose(&self.draft.biasProfile, p.biasProfileID, in: o.biasProfiles)
    self.draft.preferred = TextAreaState(PersonaJSONFields.text(fallbacks: Array(p.preferredModels.dropFirst())))
    self.draft.tiers = TextAreaState(PersonaJSONFields.text(tiers: p.tierAssignments))
    if draft.original == nil || !config.personas.contains(draft.original!) {
      editing = nil
      original = PersonaEditor.Draft()
    }
  }
}

/// The ticket form's unsaved edits at a SIGHUP/SIGTERM, kept the same way (`drafts/ticket-editor.toml`)
/// and offered at the next start; restoring puts them back into the form, unsaved.
struct TicketDraft: Equatable, DraftFile {
  /// The track of the ticket.
  var track: String
  /// The ticket as the form described it (its id is the ticket's).
  var ticket: Ticket
  var savedAt: String

  static let fileName = "ticket-editor.toml"

  func write(_ paths: ConfigPaths) {
    var meta = TOMLDict()
    meta.set("kind", "ticket")
    meta.set("track", track)
    meta.set("saved_at", savedAt)
    SavedDraft.write(meta: meta, body: "ticket", ticket.table, to: Self.file(paths))
  }

  static func read(_ paths: ConfigPaths) -> TicketDraft? {
    guard let (meta, r) = SavedDraft.read(body: "ticket", from: file(paths)), let track = meta["track"]?.stringValue
    else { return nil }
    var reader = r
    let ticket = Ticket.read(&reader)
    guard !ticket.id.isEmpty else { return nil }
    return TicketDraft(track: track, ticket: ticket, savedAt: meta["saved_at"]?.stringValue ?? "")
  }

}

extension TicketEditor {
  /// Selects the draft's track and ticket and fills the form from the draft (unsaved: the form is
  /// modified). False when the track or the ticket is gone.
  mutating func restore(_ d: TicketDraft, config: Config) -> Bool {
    let names = config.tracks.names
    guard let ti = names.firstIndex(of: d.track), let t = config.tracks[d.track],
      let k = t.tickets.firstIndex(where: { $0.id == d.ticket.id })
    else { return false }
    track.selected = ti
    tickets.selected = k
    load(t.tickets[k], config: config)
    description = TextAreaState(d.ticket.description)
    PersonaEditor.choose(&status, d.ticket.status, in: Self.statuses)
    tier.selected = Self.tierIndex(d.ticket.tier)
    dependsOn = TextFieldState(d.ticket.dependsOn.joined(separator: ", "))
    let personas = personaOptions(config, track: t, tier: d.ticket.tier)
    persona.selected = d.ticket.personaID.flatMap { personas.firstIndex(of: $0) } ?? 0
    PersonaEditor.choose(&model, d.ticket.modelOverride, in: modelOptions(config))
    return true
  }
}

/// A number typed in AI Settings and not yet committed (Enter or leaving the field commits it),
/// kept at a SIGHUP/SIGTERM in `drafts/ai-settings.toml`; restoring puts the text back into its
/// field with the focus there, uncommitted.
struct AINumberDraft: Equatable, DraftFile {
  /// `temperature`, `top_p` or `max_output_tokens`.
  var field: String
  var text: String
  var savedAt: String

  static let fileName = "ai-settings.toml"

  func write(_ paths: ConfigPaths) {
    var meta = TOMLDict()
    meta.set("kind", "ai-settings")
    meta.set("saved_at", savedAt)
    var body = TOMLDict()
    body.set("field", field)
    body.set("text", text)
    SavedDraft.write(meta: meta, body: "number", body, to: Self.file(paths))
  }

  static func read(_ paths: ConfigPaths) -> AINumberDraft? {
    guard let (meta, r) = SavedDraft.read(body: "number", from: file(paths)),
      let field = r.table["field"]?.stringValue, AISettingsScreen.numberFields.contains(field),
      let text = r.table["text"]?.stringValue
    else { return nil }
    return AINumberDraft(field: field, text: String(text.prefix(32)), savedAt: meta["saved_at"]?.stringValue ?? "")
  }

  /// How the draft window names the field.
  var label: String { AIField(rawValue: field)?.label.lowercased() ?? field }
}

extension AISettingsScreen {
  static let numberFields = ["temperature", "top_p", "max_output_tokens"]

  /// The number being typed, as a draft (nil when none is).
  func numberDraft(savedAt: String) -> AINumberDraft? {
    guard let e = editing else { return nil }
    let text =
      switch e {
      case "temperature": temperature.text
      case "top_p": topP.text
      default: maxTokens.text
      }
    return AINumberDraft(field: e, text: text, savedAt: savedAt)
  }

  /// Puts the typed text back into its field, focused and uncommitted; it replaces the value the
  /// field has now.
  mutating func restore(_ d: AINumberDraft, config: Config) {
    switch d.field {
    case "temperature": temperature.setTyped(d.text)
    case "top_p": topP.setTyped(d.text)
    default: maxTokens.setTyped(d.text)
    }
    editing = d.field
    editBase = AIField(rawValue: d.field).flatMap { LiveBinding.fields(config.aiSettings, config: config)[$0]?.value }
    focus.focus(d.field)
  }
}
