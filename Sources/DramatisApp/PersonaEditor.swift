import FoundationEssentials
import PersonaKit
import TermUI

#if canImport(Glibc)
  import Glibc
#endif

/// The Persona Editor (PRODUCT.md surface 4): a floating window over any screen. The persona list
/// on the left (typing filters it), the form on the right in the focus order of PRODUCT.md, then
/// Save, Cancel, New, Duplicate, Delete. JSON fields are checked when you leave them; nothing
/// invalid is saved; closing or switching with unsaved changes asks save / discard / go back;
/// delete says who uses the persona; a rename offers to update every reference.
public struct PersonaEditor {
  static let order = [
    "list", "name", "description", "provider", "model", "temperature", "top_p", "max_output_tokens", "preset", "prompt",
    "tool_preset", "bias_profile", "preferred", "tiers", "save", "cancel", "new", "duplicate", "delete",
  ]
  static let buttons = ["save", "cancel", "new", "duplicate", "delete"]

  var focusRing = FocusRing(PersonaEditor.order)
  var list = ListState()
  /// The persona the form shows (nil: a new one, not saved yet).
  var editing: String?
  /// The persona as it was when the form was loaded (to notice a change made elsewhere meanwhile).
  var loaded: Persona?
  var draft = Draft()
  var original = Draft()
  var jsonErrors: [String: String] = [:]
  var dialog: Dialog?
  /// F7 (the app's): a save shows what it changes in the files first (`SavePreview`).
  var previewSaves = false
  /// The save under way was seen in its preview (Enter there): it writes now.
  var previewSeen = false
  /// The rows a dialog has at the last frame (the preview scrolls by it).
  var dialogRoom = 12
  var formScroll = 0
  /// The window as drawn before its rows, fields and title (see `draw`), and what it was drawn
  /// from.
  var chrome: (key: ChromeKey, buffer: Buffer)?

  enum Pending: Equatable {
    case close
    case select(String?)
    case new
  }

  enum Dialog: Equatable {
    case unsaved(then: Pending)
    case delete(name: String, users: [String])
    case rename(old: String, new: String, users: [String])
    /// The persona changed on disk since the form was loaded: reload / show diff / keep mine.
    case conflict(theirs: Persona, mine: Persona, diffShown: Bool)
    /// What the save would change in the files (F7); Enter carries out `then`.
    case preview(SavePreview, then: PreviewedSave)
    /// The selected persona's agent files (F8): each target's file and its status, what it drops.
    case agentFiles(persona: String, items: [AgentSync.Item], problem: String?, scroll: Int)
  }

  enum PreviewedSave: Equatable {
    case save
    case rename(old: String, new: String)
  }

  /// The form's fields.
  struct Draft: Equatable {
    var name = TextFieldState("")
    var description = TextFieldState("")
    var provider = DropdownState()
    var model = DropdownState(allowsCustom: true)
    var temperature = NumberFieldState(nil, range: 0...2, step: 0.1, decimals: 2)
    var topP = NumberFieldState(nil, range: 0...1, step: 0.05, decimals: 2)
    var maxTokens = NumberFieldState(nil, range: 1...1_000_000, step: 256)
    var preset = DropdownState()
    var prompt = TextAreaState("")
    var toolPreset = DropdownState()
    var biasProfile = DropdownState()
    var preferred = TextAreaState("[]")
    var tiers = TextAreaState("{}")

    /// What the form says, without cursor positions: to tell whether anything changed.
    struct Values: Equatable {
      var texts: [String]
      var choices: [String?]
      var numbers: [Double?]
    }
  }

  public static let keyMap = KeyMap(
    title: "Persona Editor",
    bindings: [
      KeyBinding(["F5", "C-p", "Esc"], "close (asks when there are unsaved changes)"),
      KeyBinding(["Tab", "S-Tab"], "next / previous field; the list first"),
      KeyBinding(["Up", "Down", "PgUp", "PgDn"], "move in the persona list; typing filters it"),
      KeyBinding(["C-s"], "save"),
      KeyBinding(["C-n", "C-d"], "new persona / duplicate the selected one"),
      KeyBinding(["C-e"], "edit the system prompt in $VISUAL / $EDITOR"),
      KeyBinding(["F8", "M-8"], "agent files: status, drops; s syncs"),
      KeyBinding(["Enter"], "open a dropdown, choose, press a button"),
    ])

  init(config: Config, select name: String?) {
    let names = config.personas.names
    if let name, let i = names.firstIndex(of: name) { list.select(index: i, in: names) }
    load(config.personas.names.isEmpty ? nil : names[list.selectedIndex(names) ?? 0], config: config)
  }

  // MARK: The form ↔ a persona

  static func options(_ config: Config, provider: String?, persona: Persona?) -> (
    providers: [String], models: [String], presets: [String], toolPresets: [String], biasProfiles: [String]
  ) {
    var models: [String] = []
    for m in persona?.preferredModels ?? [] where m.provider == provider {
      if let n = m.model, !models.contains(n) { models.append(n) }
    }
    for n in provider.flatMap({ config.providers[$0]?.models }) ?? [] where !models.contains(n) { models.append(n) }
    return (
      config.providers.names, models, config.presets.namesWithNone, config.toolPresets.namesWithNone,
      config.biasProfiles.namesWithNone
    )
  }

  /// Selects `value` among the options (`position` finds it faster than a search, when given).
  static func choose(
    _ state: inout DropdownState, _ value: String?, in list: [String], position: ((String) -> Int?)? = nil
  ) {
    if let value, let i = position.map({ $0(value) }) ?? list.firstIndex(of: value) {
      state.selected = i
      state.customText = nil
    } else if let value {
      state.selected = nil
      state.customText = value
    } else {
      state.selected = list.first == "(none)" ? 0 : nil
      state.customText = nil
    }
  }

  static func chosen(_ state: DropdownState, in list: [String]) -> String? {
    if let c = state.customText { return c }
    guard let i = state.selected, i < list.count, list[i] != "(none)" else { return nil }
    return list[i]
  }

  mutating func load(_ name: String?, config: Config) {
    editing = name
    let p = name.flatMap { config.personas[$0] }
    loaded = p
    var d = Draft()
    d.name = TextFieldState(p?.name ?? "")
    d.description = TextFieldState(p?.description ?? "")
    let first = p?.preferredModels.first
    let o = Self.options(config, provider: first?.provider, persona: p)
    Self.choose(&d.provider, first?.provider, in: o.providers)
    Self.choose(&d.model, first?.model, in: o.models)
    d.temperature.setValue(first?.temperature)
    d.topP.setValue(first?.topP)
    d.maxTokens.setValue(first?.maxOutputTokens.map(Double.init))
    Self.choose(&d.preset, p?.systemPromptPresetID, in: o.presets)
    d.prompt = TextAreaState(p?.systemPrompt ?? "")
    Self.choose(&d.toolPreset, p?.toolPresetID, in: o.toolPresets)
    Self.choose(&d.biasProfile, p?.biasProfileID, in: o.biasProfiles)
    d.preferred = TextAreaState(PersonaJSONFields.text(fallbacks: Array((p?.preferredModels ?? []).dropFirst())))
    d.tiers = TextAreaState(PersonaJSONFields.text(tiers: p?.tierAssignments ?? []))
    draft = d
    original = d
    jsonErrors = [:]
    formScroll = 0
  }

  func values(_ d: Draft, config: Config) -> Draft.Values {
    let o = Self.options(config, provider: Self.chosen(d.provider, in: config.providers.names), persona: nil)
    return Draft.Values(
      texts: [d.name.text, d.description.text, d.prompt.text, d.preferred.text, d.tiers.text],
      choices: [
        Self.chosen(d.provider, in: o.providers), d.model.customText ?? d.model.selected.map { "#\($0)" },
        Self.chosen(d.preset, in: o.presets), Self.chosen(d.toolPreset, in: o.toolPresets),
        Self.chosen(d.biasProfile, in: o.biasProfiles),
      ],
      numbers: [d.temperature.value, d.topP.value, d.maxTokens.value])
  }

  func isDirty(_ config: Config) -> Bool {
    // The same state (cursor positions included) says the same values, without deriving them.
    draft != original && values(draft, config: config) != values(original, config: config)
  }

  /// The persona the form describes; JSON problems are reported (by field) instead.
  func build(_ config: Config) -> Result<Persona, PersonaJSONFields.Problem> {
    let base = editing.flatMap { config.personas[$0] }
    var p = base ?? Persona(name: "")
    p.name = String(draft.name.text.trimmingSpaces)
    p.description = draft.description.text
    let provider = Self.chosen(draft.provider, in: config.providers.names)
    let persona = base
    let o = Self.options(config, provider: provider, persona: persona)
    p.systemPromptPresetID = Self.chosen(draft.preset, in: o.presets)
    p.systemPrompt = draft.prompt.text.isEmpty ? nil : draft.prompt.text
    p.toolPresetID = Self.chosen(draft.toolPreset, in: o.toolPresets)
    p.biasProfileID = Self.chosen(draft.biasProfile, in: o.biasProfiles)
    var first = base?.preferredModels.first ?? ModelSettings()
    first.provider = provider
    first.model = Self.chosen(draft.model, in: o.models)
    // Clamped: the form is built while a number is still being typed (the preview).
    first.temperature = draft.temperature.clampedValue
    first.topP = draft.topP.clampedValue
    first.maxOutputTokens = draft.maxTokens.clampedValue.flatMap(Int.init(rounding:))
    do {
      p.preferredModels = (first.isEmpty ? [] : [first]) + (try fallbacks(base))
      p.tierAssignments = try tiers(base)
    } catch {
      return .failure(error)
    }
    return .success(p)
  }

  /// The JSON fields as the persona will have them. A field whose text is the one loaded keeps the
  /// persona's models as read — what the form could not show exactly (a value of the wrong type, a
  /// key this program does not know) stays, and validation reports it as before. A field edited is
  /// read from its text, accepting the unknown keys the persona's file has.
  func fallbacks(_ base: Persona?) throws(PersonaJSONFields.Problem) -> [ModelSettings] {
    if let base, draft.preferred.lines == original.preferred.lines { return Array(base.preferredModels.dropFirst()) }
    return try PersonaJSONFields.fallbacks(draft.preferred.text, keeping: Self.fileModels(base))
  }

  func tiers(_ base: Persona?) throws(PersonaJSONFields.Problem) -> [TierAssignment] {
    if let base, draft.tiers.lines == original.tiers.lines { return base.tierAssignments }
    return try PersonaJSONFields.tiers(draft.tiers.text, keeping: Self.fileModels(base))
  }

  static func fileModels(_ base: Persona?) -> [ModelSettings] {
    guard let base else { return [] }
    return base.preferredModels + base.tierAssignments.map(\.settings)
  }

  /// Checks a JSON field as the focus leaves it.
  mutating func checkJSON(_ id: String, config: Config) {
    let base = editing.flatMap { config.personas[$0] }
    do {
      if id == "preferred" { _ = try fallbacks(base) }
      if id == "tiers" { _ = try tiers(base) }
      jsonErrors[id] = nil
    } catch {
      jsonErrors[id] = error.description
    }
  }
}

// MARK: Keys

extension PersonaEditor {
  struct Outcome {
    var close = false
    var message: String?
    /// Ctrl-E: the file to open in $EDITOR (the system prompt), read back afterwards.
    var editFile: String?
  }

  var focusedDropdown: WritableKeyPath<Draft, DropdownState>? {
    switch focusID {
    case "provider": return \.provider
    case "model": return \.model
    case "preset": return \.preset
    case "tool_preset": return \.toolPreset
    case "bias_profile": return \.biasProfile
    default: return nil
    }
  }

  var focusID: String { focusRing.current ?? "list" }

  /// The form row of a dropdown.
  static func row(of k: WritableKeyPath<Draft, DropdownState>) -> String {
    switch k {
    case \.provider: "provider"
    case \.model: "model"
    case \.preset: "preset"
    case \.toolPreset: "tool_preset"
    default: "bias_profile"
    }
  }

  /// The dropdown that is open (one at a time: opening one takes the focus from the others).
  var openDropdown: WritableKeyPath<Draft, DropdownState>? {
    if draft.provider.isOpen { return \.provider }
    if draft.model.isOpen { return \.model }
    if draft.preset.isOpen { return \.preset }
    if draft.toolPreset.isOpen { return \.toolPreset }
    if draft.biasProfile.isOpen { return \.biasProfile }
    return nil
  }

  func dropdownOptions(_ k: WritableKeyPath<Draft, DropdownState>, config: Config) -> [String] {
    let provider = Self.chosen(draft.provider, in: config.providers.names)
    let o = Self.options(config, provider: provider, persona: editing.flatMap { config.personas[$0] })
    switch k {
    case \Draft.provider: return o.providers
    case \Draft.model: return o.models
    case \Draft.preset: return o.presets
    case \Draft.toolPreset: return o.toolPresets
    default: return o.biasProfiles
    }
  }

  mutating func handle(_ key: Key, manager: inout PersonaManager) -> Outcome {
    let config = manager.config
    if let d = dialog { return handleDialog(d, key, manager: &manager) }
    if let k = openDropdown {
      let opts = dropdownOptions(k, config: config)
      _ = Dropdown.handle(key, state: &draft[keyPath: k], options: opts)
      return Outcome()
    }
    switch key {
    case .function(5), .ctrl("p"):
      return requestClose(config)
    case .escape where !(focusID == "list" && !list.filter.isEmpty):
      return requestClose(config)
    case .ctrl("s"):
      return save(&manager)
    case .function(8), .alt("8"):
      return showAgentFiles(manager)
    case .ctrl("n"):
      if isDirty(config) {
        dialog = .unsaved(then: .new)
        return Outcome()
      }
      startNew(manager)
      return Outcome(message: "new persona: give it a name, then Ctrl-S")
    case .ctrl("d"):
      return duplicate(&manager)
    case .tab, .backTab:
      leave(focusID, config: config)
      if key == .tab { focusRing.next() } else { focusRing.previous() }
      return Outcome()
    case .ctrl("e") where focusID == "prompt":
      let file = FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-prompt-\(getpid()).md")
      try? draft.prompt.text.write(to: file, atomically: true, encoding: .utf8)
      return Outcome(editFile: file.path)
    default: break
    }
    switch focusID {
    case "list":
      let names = config.personas.names
      let before = list.selectedIndex(names).map { names[$0] }
      var moved = list
      _ = ListView.handle(key, state: &moved, source: names)
      let after = moved.selectedIndex(names).map { names[$0] }
      if after != before && after != editing && isDirty(config) {
        dialog = .unsaved(then: .select(after))
        return Outcome()
      }
      list = moved
      if after != editing, let after { load(after, config: config) }
      if key == .enter { focusRing.next() }
    case "name": _ = TextField.handle(key, state: &draft.name)
    case "description": _ = TextField.handle(key, state: &draft.description)
    case "temperature": _ = NumberField.handle(key, state: &draft.temperature)
    case "top_p": _ = NumberField.handle(key, state: &draft.topP)
    case "max_output_tokens": _ = NumberField.handle(key, state: &draft.maxTokens)
    case "prompt": _ = TextArea.handle(key, state: &draft.prompt)
    case "preferred": _ = TextArea.handle(key, state: &draft.preferred)
    case "tiers": _ = TextArea.handle(key, state: &draft.tiers)
    case "save" where Button.isPress(key): return save(&manager)
    case "cancel" where Button.isPress(key): return requestClose(config)
    case "new" where Button.isPress(key): return handle(.ctrl("n"), manager: &manager)
    case "duplicate" where Button.isPress(key): return duplicate(&manager)
    case "delete" where Button.isPress(key):
      guard let name = editing else { return Outcome(message: "nothing to delete: this persona is not saved yet") }
      dialog = .delete(name: name, users: manager.references(.persona, name).map(\.place))
    default:
      if let k = focusedDropdown {
        let opts = dropdownOptions(k, config: config)
        let before = Self.chosen(draft.provider, in: config.providers.names)
        _ = Dropdown.handle(key, state: &draft[keyPath: k], options: opts)
        if k == \Draft.provider, let now = Self.chosen(draft.provider, in: config.providers.names), now != before {
          // Another provider: the model moves to one it lists, by the rule AI Settings follows too.
          let model =
            draft.model.customText
            ?? Self.options(config, provider: before, persona: nil).models[safe: draft.model.selected]
          Self.choose(
            &draft.model, config.model(model, afterChangingProviderTo: now),
            in: dropdownOptions(\.model, config: config))
        }
      }
    }
    return Outcome()
  }

  mutating func leave(_ id: String, config: Config) {
    switch id {
    case "temperature": NumberField.commit(&draft.temperature)
    case "top_p": NumberField.commit(&draft.topP)
    case "max_output_tokens": NumberField.commit(&draft.maxTokens)
    case "preferred", "tiers": checkJSON(id, config: config)
    default: break
    }
  }

  mutating func requestClose(_ config: Config) -> Outcome {
    if isDirty(config) {
      dialog = .unsaved(then: .close)
      return Outcome()
    }
    return Outcome(close: true)
  }

  mutating func startNew(_ manager: PersonaManager) {
    load(nil, config: manager.config)
    draft.name = TextFieldState(manager.freeName(.persona, base: "New persona"))
    original = Draft()
    focusRing.focus("name")
  }

  mutating func duplicate(_ manager: inout PersonaManager) -> Outcome {
    guard let name = editing else { return Outcome(message: "save the new persona before duplicating it") }
    do {
      let copy = try manager.duplicate(.persona, name)
      select(copy, config: manager.config)
      return Outcome(message: "duplicated \(name) as \(copy)")
    } catch {
      return Outcome(message: error.description)
    }
  }

  mutating func select(_ name: String?, config: Config) {
    let names = config.personas.names
    if let name, let i = names.firstIndex(of: name) { list.select(index: i, in: names) }
    load(name ?? names.first, config: config)
  }

  mutating func save(_ manager: inout PersonaManager) -> Outcome {
    let config = manager.config
    leave(focusID, config: config)
    let persona: Persona
    switch build(config) {
    case .failure(let problem):
      for id in ["preferred", "tiers"] { checkJSON(id, config: config) }
      return Outcome(message: "not saved: \(problem.description)")
    case .success(let p): persona = p
    }
    guard !persona.name.isEmpty else { return Outcome(message: "not saved: the persona needs a name") }
    let problems = manager.problems(for: persona, replacing: editing)
    if let first = problems.first {
      let field = first.subject.firstRange(of: "] ").map { String(first.subject[$0.upperBound...]) } ?? first.subject
      return Outcome(message: "not saved: \(field): \(first.message)")
    }
    if let old = editing, old != persona.name {
      if config.personas.contains(persona.name) {
        return Outcome(message: "not saved: a persona named \(persona.name) exists")
      }
      dialog = .rename(old: old, new: persona.name, users: manager.references(.persona, old).map(\.place))
      return Outcome()
    }
    if let name = editing, let refused = conflict(name, mine: persona, manager: manager) { return refused }
    if previewSaves && !previewSeen {
      let isNew = editing == nil
      return preview(.save, manager) { (m: inout PersonaManager) throws(ConfigError) in
        if isNew { try m.create(persona, .persona, scope: .global) } else { try m.update(persona, .persona) }
      }
    }
    do {
      if editing == nil {
        try manager.create(persona, .persona, scope: .global)
      } else {
        do {
          try manager.update(persona, .persona)
        } catch .changedOnDisk {
          // Another instance wrote the file since it was read (before the watcher saw it): read
          // it again; a change to another entry is kept, a change to this persona is a conflict.
          manager.reload()
          if let refused = conflict(persona.name, mine: persona, manager: manager) { return refused }
          try manager.update(persona, .persona)
        }
      }
    } catch {
      return Outcome(message: error.description)
    }
    select(persona.name, config: manager.config)
    return Outcome(message: "saved persona \(persona.name)")
  }

  /// Shows what `change` would write (F7) and waits for Enter to carry out `then`.
  mutating func preview(
    _ then: PreviewedSave, _ manager: PersonaManager, _ change: (inout PersonaManager) throws(ConfigError) -> Void
  ) -> Outcome {
    switch SavePreview.of(manager, change) {
    case .failure(let refusal): return Outcome(message: refusal.message)
    case .success(let view):
      dialog = .preview(view, then: then)
      return Outcome(message: "Enter saves these changes, Esc goes back")
    }
  }

  /// The agent files of the persona on disk (the form's unsaved edits are not in them).
  mutating func showAgentFiles(_ manager: PersonaManager) -> Outcome {
    guard let name = editing, let persona = manager.config.personas[name] else {
      return Outcome(message: "save the persona first: its agent files are made from what is saved")
    }
    do {
      let items = try AgentSync.items(of: persona, paths: manager.workspace.paths, config: manager.config)
      dialog = .agentFiles(persona: name, items: items, problem: nil, scroll: 0)
    } catch {
      dialog = .agentFiles(persona: name, items: [], problem: error.description, scroll: 0)
    }
    return Outcome()
  }

  /// The agent files window's lines.
  static func agentFileLines(_ persona: String, _ items: [AgentSync.Item], problem: String?) -> [String] {
    if let problem { return [problem, "", "Esc: close"] }
    if items.isEmpty {
      return [
        "No agent files for \(persona): sync.toml lists no target that syncs it",
        "(docs/interop.md: [[targets]] with format and dir).", "", "Esc: close",
      ]
    }
    var lines = ["Agent files of \(persona) (what is saved, not the form's unsaved edits):"]
    for item in items {
      let status: String
      switch item.status {
      case .current: status = "current"
      case .new: status = "not written yet"
      case .stale: status = "stale: the persona changed since"
      case .edited: status = "edited by hand (s does not overwrite it)"
      case .orphan, .editedOrphan: status = item.status.rawValue
      }
      lines.append("  \(item.target.format.rawValue)  \(item.path)")
      lines.append("      \(status)")
      for l in item.file?.losses ?? [] {
        lines.append("      drops \(l.field)\(l.value.isEmpty ? "" : " " + l.value) — \(l.reason)")
      }
    }
    return lines + ["", "s: sync these files now   Esc: close"]
  }

  /// Refuses to save over a change made to the persona elsewhere since the form was loaded.
  mutating func conflict(_ name: String, mine: Persona, manager: PersonaManager) -> Outcome? {
    guard let theirs = manager.config.personas[name], theirs != loaded else { return nil }
    dialog = .conflict(theirs: theirs, mine: mine, diffShown: false)
    return Outcome(message: "not saved: persona \(name) was changed on disk since you opened it")
  }

  /// The persona as the lines of its TOML table (what the diff compares).
  static func tomlLines(_ p: Persona) -> [String] {
    let root = TOMLDict([("personas", .table(TOMLDict([(p.name, .table(p.table))])))])
    return TOMLWriter.write(root).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// The lines that differ: `- ` on disk only, `+ ` yours only, in file order (`LineDiff`).
  static func diff(_ a: [String], _ b: [String]) -> [String] { LineDiff.lines(a, b) }

  mutating func handleDialog(_ d: Dialog, _ key: Key, manager: inout PersonaManager) -> Outcome {
    switch d {
    case .unsaved(let then):
      switch key {
      case .char("s"), .enter, .ctrl("s"):
        dialog = nil
        let saved = save(&manager)
        if dialog != nil || (saved.message?.hasPrefix("not saved") ?? false)
          || saved.message?.contains(": not saved") == true
        {
          return saved
        }
        return continueWith(then, manager: manager, message: saved.message)
      case .char("d"):
        dialog = nil
        load(editing, config: manager.config)
        return continueWith(then, manager: manager, message: "changes discarded")
      case .escape, .char("b"), .char("g"):
        dialog = nil
        return Outcome()
      default: return Outcome()
      }
    case .delete(let name, _):
      switch key {
      case .enter, .char("y"):
        dialog = nil
        // Deleting a persona changed elsewhere since it was opened would throw that change away
        // unseen: show it first.
        if name == editing, let onDisk = manager.config.personas[name], onDisk != loaded {
          load(name, config: manager.config)
          return Outcome(message: "not deleted: \(name) was changed on disk since you opened it; it is shown now")
        }
        do {
          let cleared = try manager.delete(.persona, name, force: true)
          select(nil, config: manager.config)
          return Outcome(
            message: "deleted \(name)" + (cleared.isEmpty ? "" : "; cleared \(cleared.count) reference(s)"))
        } catch {
          return Outcome(message: error.description)
        }
      case .escape, .char("n"):
        dialog = nil
        return Outcome(message: "not deleted")
      default: return Outcome()
      }
    case .conflict(let theirs, let mine, let diffShown):
      switch key {
      case .char("r"):
        dialog = nil
        load(theirs.name, config: manager.config)
        return Outcome(message: "reloaded \(theirs.name) from disk: your changes were dropped")
      case .char("v"):
        dialog = .conflict(theirs: theirs, mine: mine, diffShown: true)
        return Outcome()
      case .char("k") where diffShown:
        dialog = nil
        do {
          try manager.update(mine, .persona)
        } catch .changedOnDisk {
          manager.reload()
          if let refused = conflict(mine.name, mine: mine, manager: manager) { return refused }
          return Outcome(message: "not saved: the file changed again; press Ctrl-S")
        } catch {
          return Outcome(message: error.description)
        }
        select(mine.name, config: manager.config)
        return Outcome(message: "saved your version of \(mine.name) over the change on disk")
      case .char("k"):
        return Outcome(message: "see the differences first (v), then k keeps yours")
      case .escape:
        dialog = nil
        return Outcome(message: "not saved")
      default: return Outcome()
      }
    case .preview(var view, let then):
      switch view.handle(key, room: dialogRoom) {
      case .stay:
        dialog = .preview(view, then: then)
        return Outcome()
      case .back:
        dialog = nil
        return Outcome(message: "not saved (your changes are kept)")
      case .save:
        dialog = nil
        previewSeen = true
        defer { previewSeen = false }
        switch then {
        case .save: return save(&manager)
        case .rename(let old, let new):
          return handleDialog(.rename(old: old, new: new, users: []), .enter, manager: &manager)
        }
      }
    case .agentFiles(let persona, let items, let problem, let scroll):
      switch key {
      case .escape, .function(8), .alt("8"):
        dialog = nil
        return Outcome()
      case .up, .down, .pageUp, .pageDown:
        let step = key == .up ? -1 : key == .down ? 1 : key == .pageUp ? -dialogRoom : dialogRoom
        let total = Self.agentFileLines(persona, items, problem: problem).count
        dialog = .agentFiles(
          persona: persona, items: items, problem: problem, scroll: max(0, min(total - 1, scroll + step)))
        return Outcome()
      case .char("s"):
        guard !items.isEmpty else { return Outcome() }
        let edited = items.filter { $0.status == .edited }
        let todo = items.filter { $0.status != .edited }
        do {
          let done = try AgentSync.apply(todo, paths: manager.workspace.paths, force: false)
          _ = showAgentFiles(manager)
          let wrote = "wrote \(done.written.count) agent file(s) of \(persona)"
          return Outcome(
            message: edited.isEmpty
              ? wrote : wrote + "; \(edited.count) edited by hand left as they are (dramatis sync --pull or --force)")
        } catch {
          return Outcome(message: error.description)
        }
      default: return Outcome()
      }
    case .rename(let old, let new, _):
      switch key {
      case .enter, .char("y"):
        dialog = nil
        guard case .success(var persona) = build(manager.config) else { return Outcome() }
        persona.name = old
        // A change made to the persona elsewhere since the form was loaded: the same choice as
        // at a save (keeping yours saves it under the old name; Ctrl-S then renames).
        if let refused = conflict(old, mine: persona, manager: manager) { return refused }
        func renamed(_ manager: inout PersonaManager) throws(ConfigError) -> Int {
          if manager.config.personas[old] != persona { try manager.update(persona, .persona) }
          return try manager.rename(.persona, old, to: new).count
        }
        if previewSaves && !previewSeen {
          return preview(.rename(old: old, new: new), manager) { (m: inout PersonaManager) throws(ConfigError) in
            _ = try renamed(&m)
          }
        }
        do {
          let updated: Int
          do {
            updated = try renamed(&manager)
          } catch .changedOnDisk {
            // A file the rename writes (the personas, or one holding a reference) changed since
            // it was read: read them again; the references are found again.
            manager.reload()
            if let refused = conflict(old, mine: persona, manager: manager) { return refused }
            updated = try renamed(&manager)
          }
          select(new, config: manager.config)
          return Outcome(message: "renamed \(old) to \(new); updated \(updated) reference(s)")
        } catch {
          return Outcome(message: error.description)
        }
      case .escape, .char("n"):
        dialog = nil
        return Outcome(message: "not renamed")
      default: return Outcome()
      }
    }
  }

  mutating func continueWith(_ then: Pending, manager: PersonaManager, message: String?) -> Outcome {
    switch then {
    case .close: return Outcome(close: true, message: message)
    case .select(let name):
      select(name, config: manager.config)
      return Outcome(message: message)
    case .new:
      startNew(manager)
      return Outcome(message: message)
    }
  }

  /// Reads back the system prompt after `$EDITOR`.
  mutating func edited(file: String) {
    if let text = try? String(contentsOfFile: file, encoding: .utf8) {
      var t = text
      if t.hasSuffix("\n") { t.removeLast() }
      draft.prompt = TextAreaState(t)
    }
    try? FileManager.default.removeItem(atPath: file)
  }
}

extension Array {
  subscript(safe i: Int?) -> Element? {
    guard let i, i >= 0, i < count else { return nil }
    return self[i]
  }
}

// MARK: Drawing

extension PersonaEditor {
  /// Rows of the form: id, label, height.
  static let rows: [(id: String, label: String, height: Int)] = [
    ("name", "Name", 1), ("description", "Description", 1), ("provider", "Provider", 1), ("model", "Model", 1),
    ("temperature", "Temperature", 1), ("top_p", "Top-p", 1), ("max_output_tokens", "Max output tokens", 1),
    ("preset", "Prompt preset", 1), ("prompt", "System prompt", 4), ("tool_preset", "Tool preset", 1),
    ("bias_profile", "Bias profile", 1), ("preferred", "Fallback models", 3), ("preferred-error", "", 1),
    ("tiers", "Tier overrides", 3), ("tiers-error", "", 1), ("buttons", "", 1), ("gap", "", 1),
    ("preview", "Effective prompt", 6),
  ]

  /// Where each row of the form starts, and the form's height.
  static let rowTops: [Int] = rows.indices.map { i in rows[..<i].reduce(0) { $0 + $1.height } }
  static let formHeight = rows.reduce(0) { $0 + $1.height }

  static func rowIndex(_ id: String) -> Int? { rows.firstIndex { $0.id == id } }

  struct ChromeKey: Equatable {
    var frame: Rect
    var width: Int
    var height: Int
    var theme: String
    var focusID: String
    var formScroll: Int
    var count: Int
    /// personas.toml does not parse: the list says so.
    var unavailable: Bool
  }

  /// Draws the editor over `buffer` (dimming it first, unless the caller already did).
  mutating func draw(into buffer: inout Buffer, screen: Rect, config: Config, theme: Theme, dimBelow: Bool = true) {
    let frame = FloatingWindow.frame(
      screen: screen, width: min(116, screen.width - 2), height: min(36, screen.height - 1))
    let dirty = isDirty(config) ? " (modified)" : ""
    let title = "Persona Editor — \(editing ?? "new persona")\(dirty)"
    var noScroll = 0
    let inner = Panel.inner(frame)
    guard inner.width > 10, inner.height > 2 else {
      FloatingWindow.draw(
        into: &buffer, frame: frame, title: title, theme: theme, scroll: &noScroll, dimBelow: dimBelow)
      return
    }
    let cols = Layout.split(inner, .columns, [.percent(28, min: 12), .fill()], gap: 1)
    let names = config.personas.names
    let listBox = Panel.inner(cols[0])

    // The form scrolls when the window is too small; the focused row stays in view.
    let form = cols[1]
    let total = Self.formHeight
    let focusRow = Self.rowIndex(Self.buttons.contains(focusID) ? "buttons" : focusID)
    if let i = focusRow {
      let fy = Self.rowTops[i]
      let h = Self.rows[i].height
      if fy < formScroll { formScroll = fy }
      if fy + h > formScroll + form.height { formScroll = fy + h - form.height }
    }
    formScroll = max(0, min(formScroll, max(0, total - form.height)))
    let labelWidth = min(18, form.width / 3)
    // Where each row's field was placed (by row), for the popups.
    var anchors = [Rect?](repeating: nil, count: Self.rows.count)
    func place(_ id: String) -> (label: Rect, field: Rect) { place(at: Self.rowIndex(id)!) }
    func place(at i: Int) -> (label: Rect, field: Rect) {
      let h = Self.rows[i].height
      let rowY = form.y + Self.rowTops[i] - formScroll
      let label = Rect(x: form.x, y: rowY, width: labelWidth, height: 1).intersection(form)
      let field = Rect(x: form.x + labelWidth, y: rowY, width: form.width - labelWidth, height: h).intersection(form)
      anchors[i] = field
      return (label, field)
    }

    // The window, the list's box, the form's labels and scroll arrows: what moving in the list
    // does not change. Drawn once and copied while nothing they show changes.
    let key = ChromeKey(
      frame: frame, width: buffer.width, height: buffer.height, theme: theme.name, focusID: focusID,
      formScroll: formScroll, count: names.count, unavailable: config.unparsed[.personas] != nil)
    if let c = chrome, c.key == key {
      FloatingWindow.drawBelow(into: &buffer, frame: frame, theme: theme, dimBelow: dimBelow)
      buffer.copy(frame, of: c.buffer, toX: frame.x, y: frame.y)
    } else {
      FloatingWindow.draw(into: &buffer, frame: frame, title: "", theme: theme, scroll: &noScroll, dimBelow: dimBelow)
      Panel.draw(
        into: &buffer, area: cols[0],
        title: config.unparsed[.personas] == nil ? "Personas (\(names.count))" : "Personas (unavailable)",
        focused: focusID == "list", theme: theme)
      if formScroll > 0 { buffer.write("▲", x: frame.maxX - 2, y: frame.y, style: theme.borderFocused, clip: frame) }
      if formScroll + form.height < total {
        buffer.write("▼", x: frame.maxX - 2, y: frame.maxY - 1, style: theme.borderFocused, clip: frame)
      }
      for (i, r) in Self.rows.enumerated() where !r.label.isEmpty {
        let (label, _) = place(at: i)
        if !label.isEmpty {
          Label.draw(r.label, into: &buffer, area: label, style: focusID == r.id ? theme.titleFocused : theme.normal)
        }
      }
      chrome = (key, buffer)
    }
    Panel.drawTitle(title, into: &buffer, area: frame, focused: true, theme: theme)
    // The list and the form side by side: a Down changes rows of both (FrameEncoder).
    buffer.columnSplit = cols[0].maxX
    ListView.render(
      state: &list, source: names, into: &buffer, area: listBox, theme: theme, focused: focusID == "list",
      emptyText: config.unparsed[.personas] == nil ? nil : "",
      decorate: { i in (config.personas.entries[i].scope == .project ? "· " : "", nil) })
    if let d = config.unparsed[.personas] {
      let text =
        "Unavailable until personas.toml is fixed: it does not parse at line \(d.line ?? 0), column \(d.column ?? 0)."
      for (k, line) in DisplayWidth.wrap(text, to: max(1, listBox.width)).prefix(listBox.height).enumerated() {
        Label.draw(line, into: &buffer, area: listBox.row(k), style: theme.error)
      }
    }

    let provider = Self.chosen(draft.provider, in: config.providers.names)
    let o = Self.options(config, provider: provider, persona: editing.flatMap { config.personas[$0] })
    for (i, r) in Self.rows.enumerated() where !r.label.isEmpty {
      let (_, field) = place(at: i)
      guard !field.isEmpty else { continue }
      let f = focusID == r.id
      switch r.id {
      case "name": TextField.render(state: &draft.name, into: &buffer, area: field, theme: theme, focused: f)
      case "description":
        TextField.render(state: &draft.description, into: &buffer, area: field, theme: theme, focused: f)
      case "provider":
        Dropdown.renderField(
          state: draft.provider, options: o.providers, into: &buffer, area: field, theme: theme, focused: f)
      case "model":
        Dropdown.renderField(
          state: draft.model, options: o.models, into: &buffer, area: field, theme: theme, focused: f)
      case "temperature":
        NumberField.render(state: &draft.temperature, into: &buffer, area: field, theme: theme, focused: f)
      case "top_p": NumberField.render(state: &draft.topP, into: &buffer, area: field, theme: theme, focused: f)
      case "max_output_tokens":
        NumberField.render(state: &draft.maxTokens, into: &buffer, area: field, theme: theme, focused: f)
      case "preset":
        Dropdown.renderField(
          state: draft.preset, options: o.presets, into: &buffer, area: field, theme: theme, focused: f)
      case "prompt": TextArea.render(state: &draft.prompt, into: &buffer, area: field, theme: theme, focused: f)
      case "tool_preset":
        Dropdown.renderField(
          state: draft.toolPreset, options: o.toolPresets, into: &buffer, area: field, theme: theme, focused: f)
      case "bias_profile":
        Dropdown.renderField(
          state: draft.biasProfile, options: o.biasProfiles, into: &buffer, area: field, theme: theme, focused: f)
      case "preferred": TextArea.render(state: &draft.preferred, into: &buffer, area: field, theme: theme, focused: f)
      case "tiers": TextArea.render(state: &draft.tiers, into: &buffer, area: field, theme: theme, focused: f)
      case "preview":
        let parts = previewLines(config, limit: field.height)
        Label.drawLines(parts, into: &buffer, area: field, style: theme.muted)
      default: break
      }
    }
    for id in ["preferred", "tiers"] {
      let (_, field) = place(id + "-error")
      if let e = jsonErrors[id], !field.isEmpty {
        Label.draw("✗ " + e, into: &buffer, area: field, style: theme.error)
      }
    }
    let (_, buttonRow) = place("buttons")
    ButtonRow.render(
      [("save", "Save"), ("cancel", "Cancel"), ("new", "New"), ("duplicate", "Duplicate"), ("delete", "Delete")],
      focused: focusID, into: &buffer, area: buttonRow, theme: theme)

    // Popups, then dialogs, over everything.
    if let k = openDropdown, let i = Self.rowIndex(Self.row(of: k)), let anchor = anchors[i] {
      let opts = dropdownOptions(k, config: config)
      Dropdown.renderPopup(
        state: &draft[keyPath: k], options: opts, anchor: anchor.row(0), screen: screen, into: &buffer, theme: theme)
    }
    dialogRoom = screen.height - 12
    if let d = dialog { drawDialog(d, into: &buffer, screen: screen, theme: theme) }
  }

  /// The non-empty lines of a text (split on the bytes: a grapheme walk of a long prompt every
  /// frame was a fifth of the editor's frame).
  static func lines(_ text: String, limit: Int = .max) -> [String] {
    text.utf8.split(separator: 0x0A, maxSplits: max(0, limit), omittingEmptySubsequences: true).prefix(limit).map {
      String(Substring($0))
    }
  }

  /// The effective prompt's first `limit` lines (the preview shows a few: the rest is not split).
  func previewLines(_ config: Config, limit: Int = .max) -> [String] {
    guard case .success(let p) = build(config) else { return ["(fix the JSON fields to see the preview)"] }
    var lines: [String] = []
    if let preset = p.systemPromptPresetID.flatMap({ config.presets[$0] }) {
      lines.append("── preset \(preset.name) ──")
      lines += Self.lines(preset.systemPrompt, limit: limit - lines.count)
    }
    if let own = p.systemPrompt, !own.isEmpty, lines.count < limit {
      lines.append("── persona ──")
      lines += Self.lines(own, limit: limit - lines.count)
    }
    guard lines.count < limit else { return Array(lines.prefix(limit)) }
    let profile = p.biasProfileID.flatMap { config.biasProfiles[$0] }
    let tools = ToolNudging.tools(
      preset: p.toolPresetID.flatMap { config.toolPresets[$0] }, profile: profile, catalog: config.tools)
    if let s = ToolNudging.strategy(tools, profile: profile) {
      lines.append("── tooling strategy ──")
      lines += Self.lines(s, limit: limit - lines.count)
    }
    return lines.isEmpty ? ["(empty)"] : Array(lines.prefix(limit))
  }

  func drawDialog(_ d: Dialog, into buffer: inout Buffer, screen: Rect, theme: Theme) {
    let title: String
    var lines: [String]
    switch d {
    case .unsaved(let then):
      title = "Unsaved changes"
      let what = then == .close ? "Close the editor" : "Leave this persona"
      lines = [
        "\(what): the changes to \(editing ?? "the new persona") are not saved.", "",
        "s: save    d: discard    Esc: go back",
      ]
    case .delete(let name, let users):
      title = "Delete persona"
      lines = ["Delete \(name)?"]
      if users.isEmpty {
        lines.append("Nothing uses it.")
      } else {
        lines.append("It is used by:")
        lines += users.map { "  " + $0 }
        lines.append("Deleting clears these references.")
      }
      lines += ["", "Enter: delete    Esc: cancel"]
    case .conflict(let theirs, let mine, let diffShown):
      title = "Changed on disk"
      lines = SaveConflict(
        what: "persona \(theirs.name)", theirs: Self.tomlLines(theirs), mine: Self.tomlLines(mine), value: nil,
        diffShown: diffShown
      ).lines(room: screen.height - 12)
    case .preview(let view, _):
      title = SavePreview.title
      lines = view.lines(room: screen.height - 12)
    case .agentFiles(let persona, let items, let problem, let scroll):
      title = "Agent files"
      let all = Self.agentFileLines(persona, items, problem: problem)
      let room = max(4, screen.height - 8)
      lines =
        all.count <= room ? all : Array(all.dropFirst(min(scroll, all.count - room)).prefix(room - 1)) + [all.last!]
    case .rename(let old, let new, let users):
      title = "Rename persona"
      lines = ["Rename \(old) to \(new)?"]
      if users.isEmpty {
        lines.append("Nothing refers to it.")
      } else {
        lines.append("These references will be updated too:")
        lines += users.map { "  " + $0 }
      }
      lines += ["", "Enter: rename and update    Esc: cancel"]
    }
    FloatingWindow.drawMessage(lines, title: title, into: &buffer, screen: screen, theme: theme, dimBelow: false)
  }
}
