import PersonaKit
import TermUI

/// The AI Settings panel (PRODUCT.md surface 1) with Live Binding: a persona selector; provider,
/// model, temperature, top-p, max output tokens, tool preset and bias profile bound to it; edited
/// fields unbound and marked `*`; Ctrl-R reverts the focused field, "Revert all" every field;
/// "Save to persona" writes the edits into the persona after a confirmation listing the changes;
/// a read-only preview of the effective system prompt with where each part came from.
public struct AISettingsScreen {
  public static let fieldOrder = [
    "persona", "provider", "model", "temperature", "top_p", "max_output_tokens", "tool_preset_id", "bias_profile_id",
    "revert_all", "save_to_persona",
  ]

  public var focus = FocusRing(AISettingsScreen.fieldOrder)
  var persona = DropdownState()
  var provider = DropdownState()
  var model = DropdownState(allowsCustom: true)
  var toolPreset = DropdownState()
  var biasProfile = DropdownState()
  var temperature = NumberFieldState(nil, range: 0...2, step: 0.1, decimals: 2)
  var topP = NumberFieldState(nil, range: 0...1, step: 0.05, decimals: 2)
  var maxTokens = NumberFieldState(nil, range: 1...1_000_000, step: 256)
  /// The number field being edited (its text is the user's until it is committed).
  var editing: String? {
    didSet { if editing == nil { editBase = nil } }
  }
  /// The field's value when typing began: what the typed number replaces.
  var editBase: TOMLNode?
  /// The number just committed, with what it replaces (read and cleared by the app).
  var committed: (field: AIField, value: TOMLNode?, base: TOMLNode?)?
  /// "Save to persona": the changes awaiting confirmation.
  var confirm: [LiveBinding.Change]?
  var promptScroll = 0
  /// The panel as drawn under an open dropdown. The dropdown has every key while it is open, and
  /// its keys (moving, filtering) change only the popup: the panel under it is copied from here
  /// instead of drawn again (three quarters of the work of a Down in a list of 1,000 personas).
  var under: Under?

  struct Under {
    var key: UnderKey
    var buffer: Buffer
    var focus: Rect?
    var anchors: [String: Rect]
  }

  /// Everything the panel under a dropdown is drawn from: the area, the theme, the configuration's
  /// generation and the panel's own state — with the open dropdown's list (what its keys change)
  /// left out.
  struct UnderKey: Equatable {
    var area: Rect
    var width: Int
    var height: Int
    var theme: String
    var generation: Int
    var focus: FocusRing
    var dropdowns: [DropdownState]
    var numbers: [NumberFieldState]
    var editing: String?
    var promptScroll: Int
  }

  func underKey(area: Rect, buffer: Buffer, theme: Theme, generation: Int) -> UnderKey {
    UnderKey(
      area: area, width: buffer.width, height: buffer.height, theme: theme.name, generation: generation,
      focus: focus,
      dropdowns: [persona, provider, model, toolPreset, biasProfile].map(\.field),
      numbers: [temperature, topP, maxTokens], editing: editing, promptScroll: promptScroll)
  }

  public init() {}

  public static let keyMap = KeyMap(
    title: "AI Settings",
    bindings: [
      KeyBinding(["Tab", "S-Tab"], "next / previous field"),
      KeyBinding(["Enter"], "open a dropdown, choose, press a button"),
      KeyBinding(["type"], "filter a dropdown; edit a number (committed when you leave the field)"),
      KeyBinding(["C-r"], "revert the focused field: bind it to the persona again"),
      KeyBinding(["*"], "marks a field you edited (unbound: it keeps its value)"),
      KeyBinding(["PgUp", "PgDn"], "scroll the system prompt preview"),
    ])

  // MARK: Options

  struct Options {
    var personas: [String]
    var providers: [String]
    var models: [String]
    var toolPresets: [String]
    var biasProfiles: [String]
  }

  /// The panel's fields and the dropdowns' options, computed once per configuration generation
  /// (both depend on the configuration alone; a key and a frame each read them).
  var derived: (generation: Int, fields: [AIField: PanelField], options: Options)?

  mutating func derive(_ config: Config, generation: Int) -> (fields: [AIField: PanelField], options: Options) {
    if let d = derived, d.generation == generation { return (d.fields, d.options) }
    let fields = LiveBinding.fields(config.aiSettings, config: config)
    let o = options(config, fields: fields)
    derived = (generation, fields, o)
    return (fields, o)
  }

  func options(_ config: Config, fields: [AIField: PanelField]) -> Options {
    let chosenProvider = fields[.provider]?.value?.stringValue
    let bound = config.aiSettings.personaID.flatMap { config.personas[$0] }
    var models: [String] = []
    for m in bound?.preferredModels ?? [] where m.provider == nil || m.provider == chosenProvider {
      if let name = m.model, !models.contains(name) { models.append(name) }
    }
    for name in chosenProvider.flatMap({ config.providers[$0]?.models }) ?? [] where !models.contains(name) {
      models.append(name)
    }
    return Options(
      personas: config.personas.namesWithNone, providers: config.providers.names, models: models,
      toolPresets: config.toolPresets.namesWithNone, biasProfiles: config.biasProfiles.namesWithNone)
  }

  /// Points the dropdowns and (not edited) number fields at the panel's current values.
  mutating func sync(_ config: Config, generation: Int) {
    let (fields, o) = derive(config, generation: generation)
    func pick(
      _ state: inout DropdownState, _ value: String?, in list: [String], none: Bool,
      position: ((String) -> Int?)? = nil
    ) {
      if state.isOpen { return }
      if let v = value, let i = position.map({ $0(v) }) ?? list.firstIndex(of: v) {
        state.selected = i
        state.customText = nil
      } else if let v = value {
        state.selected = nil
        state.customText = v
      } else {
        state.selected = none ? 0 : nil
        state.customText = nil
      }
    }
    pick(
      &persona, config.aiSettings.personaID, in: o.personas, none: true,
      position: { config.personas.position(of: $0).map { $0 + 1 } })
    pick(&provider, fields[.provider]?.value?.stringValue, in: o.providers, none: false)
    pick(&model, fields[.model]?.value?.stringValue, in: o.models, none: false)
    pick(&toolPreset, fields[.toolPresetID]?.value?.stringValue, in: o.toolPresets, none: true)
    pick(&biasProfile, fields[.biasProfileID]?.value?.stringValue, in: o.biasProfiles, none: true)
    if editing != "temperature" { temperature.setValue(fields[.temperature]?.value?.doubleValue) }
    if editing != "top_p" { topP.setValue(fields[.topP]?.value?.doubleValue) }
    if editing != "max_output_tokens" { maxTokens.setValue(fields[.maxOutputTokens]?.value?.doubleValue) }
    if let p = fields[.provider]?.value?.stringValue, let range = config.providers[p]?.temperatureRange {
      temperature.range = range
    }
  }

  var isModal: Bool {
    confirm != nil || [persona, provider, model, toolPreset, biasProfile].contains { $0.isOpen }
  }

  // MARK: Keys

  /// Handles a key; returns the new panel state to save (nil: nothing to save) and a message.
  /// `generation` is the configuration's (the manager's): what was derived from an older one is
  /// computed again.
  mutating func handle(_ key: Key, config: Config, generation: Int) -> (
    AISettings?, String?, personaToSave: Persona?
  ) {
    let settings = config.aiSettings
    let (fields, o) = derive(config, generation: generation)
    if let changes = confirm {
      switch key {
      case .enter, .char("y"), .ctrl("s"):
        confirm = nil
        guard let (p, now) = LiveBinding.saveToPersona(settings, config: config) else { return (nil, nil, nil) }
        // The persona changed on disk while the list was shown: what would be overwritten is no
        // longer what the user confirmed — show the list again.
        if now != changes {
          if now.isEmpty { return (nil, "nothing to save: the persona now has these values (changed on disk)", nil) }
          confirm = now
          return (nil, "the persona changed on disk: check the changes again", nil)
        }
        return (LiveBinding.revert(nil, in: settings), "saved \(changes.count) change(s) to persona \(p.name)", p)
      case .escape, .char("n"):
        confirm = nil
        return (nil, "not saved", nil)
      default:
        return (nil, nil, nil)
      }
    }
    // An open dropdown has every key.
    func dropdown(_ state: inout DropdownState, _ list: [String], _ apply: (String?) -> AISettings?) -> (
      AISettings?, String?, Persona?
    )? {
      guard
        state.isOpen
          || focus.current.map({ ["persona", "provider", "model", "tool_preset_id", "bias_profile_id"].contains($0) })
            == true
      else {
        return nil
      }
      switch Dropdown.handle(key, state: &state, options: list) {
      case .chose(let i): return (apply(list[i] == "(none)" ? nil : list[i]), nil, nil)
      case .choseText(let t): return (apply(t), nil, nil)
      case .handled, .cancelled: return (nil, nil, nil)
      case .ignored: return nil
      }
    }
    let anyOpen = [persona, provider, model, toolPreset, biasProfile].contains { $0.isOpen }
    let current = focus.current ?? ""
    if anyOpen || ["persona", "provider", "model", "tool_preset_id", "bias_profile_id"].contains(current) {
      if key == .ctrl("r"), !anyOpen, let field = AIField(rawValue: current) {
        return (LiveBinding.revert(field, in: settings), "\(field.label) follows the persona again", nil)
      }
      let result: (AISettings?, String?, Persona?)?
      // The four dropdowns that edit a field of the panel, and the persona selector.
      let fieldDropdowns: [String: (WritableKeyPath<AISettingsScreen, DropdownState>, [String], AIField)] = [
        "provider": (\.provider, o.providers, .provider), "model": (\.model, o.models, .model),
        "tool_preset_id": (\.toolPreset, o.toolPresets, .toolPresetID),
        "bias_profile_id": (\.biasProfile, o.biasProfiles, .biasProfileID),
      ]
      switch (anyOpen ? openID : current) {
      case "persona":
        result = dropdown(&persona, o.personas) { LiveBinding.select($0, in: settings) }
      case let id where fieldDropdowns[id] != nil:
        let (path, list, field) = fieldDropdowns[id]!
        var state = self[keyPath: path]
        result = dropdown(&state, list) {
          LiveBinding.edit(field, to: $0.map(TOMLNode.string), in: settings, config: config)
        }
        self[keyPath: path] = state
      default: result = nil
      }
      if let result { return result }
    }
    switch key {
    case .tab, .backTab:
      let committed = commitEditing(settings, config: config)
      if key == .tab { focus.next() } else { focus.previous() }
      return (committed, nil, nil)
    case .pageUp:
      promptScroll = max(0, promptScroll - 5)
      return (nil, nil, nil)
    case .pageDown:
      promptScroll += 5
      return (nil, nil, nil)
    default: break
    }
    switch current {
    case "temperature", "top_p", "max_output_tokens":
      let field = AIField(rawValue: current)!
      if key == .ctrl("r") {
        editing = nil
        return (LiveBinding.revert(field, in: settings), "\(field.label) follows the persona again", nil)
      }
      if key == .enter { return (commitEditing(settings, config: config), nil, nil) }
      var used = false
      switch current {
      case "temperature": used = NumberField.handle(key, state: &temperature)
      case "top_p": used = NumberField.handle(key, state: &topP)
      default: used = NumberField.handle(key, state: &maxTokens)
      }
      if used {
        if editing != current {
          editing = current
          editBase = fields[field]?.value
        }
        if key == .up || key == .down { return (commitEditing(settings, config: config), nil, nil) }
      }
      return (nil, nil, nil)
    case "revert_all" where Button.isPress(key):
      return (LiveBinding.revert(nil, in: settings), "every field follows the persona again", nil)
    case "save_to_persona" where Button.isPress(key):
      guard let name = settings.personaID else { return (nil, "no persona selected", nil) }
      guard let (_, changes) = LiveBinding.saveToPersona(settings, config: config) else {
        if let d = config.unparsed[.personas] {
          return (
            nil,
            "not saved: personas.toml does not parse (line \(d.line ?? 0), column \(d.column ?? 0)); fix it first",
            nil
          )
        }
        return (nil, "not saved: no persona named \(name)", nil)
      }
      if changes.isEmpty { return (nil, "nothing to save: the fields equal the persona's", nil) }
      confirm = changes
      return (nil, nil, nil)
    default:
      return (nil, nil, nil)
    }
  }

  var openID: String {
    if persona.isOpen { return "persona" }
    if provider.isOpen { return "provider" }
    if model.isOpen { return "model" }
    if toolPreset.isOpen { return "tool_preset_id" }
    if biasProfile.isOpen { return "bias_profile_id" }
    return ""
  }

  /// The number being edited, committed as an edit of its field.
  mutating func commitEditing(_ settings: AISettings, config: Config) -> AISettings? {
    guard let e = editing else { return nil }
    let base = editBase
    editing = nil
    let field: AIField
    let value: TOMLNode?
    switch e {
    case "temperature":
      NumberField.commit(&temperature)
      (field, value) = (.temperature, temperature.value.map(TOMLNode.float))
    case "top_p":
      NumberField.commit(&topP)
      (field, value) = (.topP, topP.value.map(TOMLNode.float))
    default:
      NumberField.commit(&maxTokens)
      (field, value) = (.maxOutputTokens, maxTokens.value.flatMap(Int.init(rounding:)).map(TOMLNode.integer))
    }
    committed = (field, value, base)
    return LiveBinding.edit(field, to: value, in: settings, config: config)
  }

  // MARK: Drawing

  /// Draws the panel; `generation` is the configuration's (the manager's): it tells whether the
  /// panel kept under an open dropdown is still what `config` shows.
  mutating func draw(into buffer: inout Buffer, area: Rect, config: Config, theme: Theme, generation: Int) {
    // Also under an open dropdown or the confirmation: a change on disk shows at once (the open
    // dropdown itself keeps its place).
    if editing == nil { sync(config, generation: generation) }
    let (fields, o) = derive(config, generation: generation)
    let dropdownOpen = confirm == nil && !openID.isEmpty
    let key = dropdownOpen ? underKey(area: area, buffer: buffer, theme: theme, generation: generation) : nil
    var anchors: [String: Rect]
    if let key, let u = under, u.key == key {
      buffer.copy(area, of: u.buffer, toX: area.x, y: area.y)
      buffer.focus = u.focus
      anchors = u.anchors
    } else {
      anchors = drawPanel(into: &buffer, area: area, config: config, theme: theme, fields: fields, options: o)
      under = key.map { Under(key: $0, buffer: buffer, focus: buffer.focus, anchors: anchors) }
    }
    drawPopups(into: &buffer, area: area, config: config, theme: theme, options: o, anchors: anchors)
  }

  /// The panel without its popups; returns where each dropdown field is (the popups' anchors).
  mutating func drawPanel(
    into buffer: inout Buffer, area: Rect, config: Config, theme: Theme, fields: [AIField: PanelField],
    options o: Options
  ) -> [String: Rect] {
    var anchors: [String: Rect] = [:]
    let inner = Panel.draw(into: &buffer, area: area, title: "AI Settings", focused: true, theme: theme)
    guard inner.height > 0 else { return anchors }
    let labelWidth = min(20, inner.width / 3)
    let fieldWidth = min(44, max(0, inner.width - labelWidth - 1))
    func row(_ i: Int, _ id: String, _ label: String, modified: Bool) -> Rect {
      let y = inner.y + i
      guard y < inner.maxY else { return .zero }
      let focused = focus.isFocused(id)
      Label.draw(
        label, into: &buffer, area: Rect(x: inner.x + 1, y: y, width: labelWidth - 2, height: 1),
        style: focused ? theme.titleFocused : theme.normal)
      if modified {
        buffer.write("*", x: inner.x + labelWidth - 1, y: y, style: theme.modified, clip: inner)
      }
      let r = Rect(x: inner.x + labelWidth + 1, y: y, width: fieldWidth, height: 1).intersection(inner)
      anchors[id] = r
      return r
    }
    let m: (AIField) -> Bool = { fields[$0]?.modified ?? false }
    Dropdown.renderField(
      state: persona, options: o.personas, into: &buffer, area: row(0, "persona", "Persona", modified: false),
      theme: theme, focused: focus.isFocused("persona"))
    Dropdown.renderField(
      state: provider, options: o.providers, into: &buffer,
      area: row(1, "provider", "Provider", modified: m(.provider)),
      theme: theme, focused: focus.isFocused("provider"))
    Dropdown.renderField(
      state: model, options: o.models, into: &buffer, area: row(2, "model", "Model", modified: m(.model)), theme: theme,
      focused: focus.isFocused("model"))
    let numberWidth = min(fieldWidth, 30)
    var r = row(3, "temperature", "Temperature", modified: m(.temperature))
    r.width = min(r.width, numberWidth)
    NumberField.render(
      state: &temperature, into: &buffer, area: r, theme: theme, focused: focus.isFocused("temperature"))
    r = row(4, "top_p", "Top-p", modified: m(.topP))
    r.width = min(r.width, numberWidth)
    NumberField.render(state: &topP, into: &buffer, area: r, theme: theme, focused: focus.isFocused("top_p"))
    r = row(5, "max_output_tokens", "Max output tokens", modified: m(.maxOutputTokens))
    r.width = min(r.width, numberWidth)
    NumberField.render(
      state: &maxTokens, into: &buffer, area: r, theme: theme, focused: focus.isFocused("max_output_tokens"))
    Dropdown.renderField(
      state: toolPreset, options: o.toolPresets, into: &buffer,
      area: row(6, "tool_preset_id", "Tool preset", modified: m(.toolPresetID)), theme: theme,
      focused: focus.isFocused("tool_preset_id"))
    Dropdown.renderField(
      state: biasProfile, options: o.biasProfiles, into: &buffer,
      area: row(7, "bias_profile_id", "Bias profile", modified: m(.biasProfileID)), theme: theme,
      focused: focus.isFocused("bias_profile_id"))
    let buttons = Rect(x: inner.x + labelWidth + 1, y: inner.y + 8, width: fieldWidth, height: 1).intersection(inner)
    ButtonRow.render(
      [("revert_all", "Revert all"), ("save_to_persona", "Save to persona")], focused: focus.current,
      into: &buffer, area: buttons, theme: theme)

    // The effective system prompt, with the origin of each part.
    let prompt = Rect(x: inner.x + 1, y: inner.y + 10, width: inner.width - 2, height: inner.height - 10)
    if prompt.height > 0 {
      Label.draw("System prompt (effective, read-only)", into: &buffer, area: prompt.row(0), style: theme.titleFocused)
      var lines: [(String, Style)] = []
      for part in promptParts(config, fields: fields) {
        lines.append(("── from \(part.origin.description) ──", theme.muted))
        for l in part.text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
          lines.append((String(Substring(l)), theme.normal))
        }
      }
      if lines.isEmpty { lines.append(("(empty: no persona, preset or prompt)", theme.muted)) }
      let body = prompt.inset(top: 1)
      promptScroll = max(0, min(promptScroll, lines.count - body.height))
      for (i, (text, style)) in lines.dropFirst(promptScroll).prefix(body.height).enumerated() {
        Label.draw(text, into: &buffer, area: body.row(i), style: style)
      }
    }
    return anchors
  }

  /// The open dropdown's popup and the confirmation, over everything.
  mutating func drawPopups(
    into buffer: inout Buffer, area: Rect, config: Config, theme: Theme, options o: Options, anchors: [String: Rect]
  ) {
    let screen = area  // not over the status line below
    for (id, state) in [("persona", 0), ("provider", 1), ("model", 2), ("tool_preset_id", 3), ("bias_profile_id", 4)] {
      guard let anchor = anchors[id] else { continue }
      switch state {
      case 0:
        Dropdown.renderPopup(
          state: &persona, options: o.personas, anchor: anchor, screen: screen, into: &buffer, theme: theme)
      case 1:
        Dropdown.renderPopup(
          state: &provider, options: o.providers, anchor: anchor, screen: screen, into: &buffer, theme: theme)
      case 2:
        Dropdown.renderPopup(
          state: &model, options: o.models, anchor: anchor, screen: screen, into: &buffer, theme: theme)
      case 3:
        Dropdown.renderPopup(
          state: &toolPreset, options: o.toolPresets, anchor: anchor, screen: screen, into: &buffer, theme: theme)
      default:
        Dropdown.renderPopup(
          state: &biasProfile, options: o.biasProfiles, anchor: anchor, screen: screen, into: &buffer, theme: theme)
      }
    }
    if let changes = confirm {
      let lines =
        ["Write these changes into persona \(config.aiSettings.personaID ?? "")?", ""]
        + changes.map { "  " + $0.description } + ["", "Enter: save    Esc: cancel"]
      FloatingWindow.drawMessage(lines, title: "Save to persona", into: &buffer, screen: screen, theme: theme)
    }
  }

  /// The effective prompt of the panel: the bound persona's preset and own text, then the tooling
  /// strategy of the panel's tool preset and bias profile.
  func promptParts(_ config: Config, fields: [AIField: PanelField]) -> [PromptPart] {
    let p = config.aiSettings.personaID.flatMap { config.personas[$0] }
    var parts: [PromptPart] = []
    if let presetName = p?.systemPromptPresetID, let preset = config.presets[presetName], !preset.systemPrompt.isEmpty {
      parts.append(PromptPart(origin: .preset(preset.name), kind: "preset", text: preset.systemPrompt))
    }
    if let p, let own = p.systemPrompt, !own.isEmpty {
      parts.append(PromptPart(origin: .persona(p.name), kind: "persona", text: own))
    }
    let tools = fields[.toolPresetID]?.value?.stringValue.flatMap { config.toolPresets[$0] }
    let profile = fields[.biasProfileID]?.value?.stringValue.flatMap { config.biasProfiles[$0] }
    let effective = ToolNudging.tools(preset: tools, profile: profile, catalog: config.tools)
    if let s = ToolNudging.strategy(effective, profile: profile) {
      parts.append(PromptPart(origin: .biasProfile(profile!.name), kind: "tooling_strategy", text: s))
    }
    return parts
  }
}
