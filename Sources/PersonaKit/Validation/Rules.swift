/// The one set of rules every write path asks before it writes: given the configuration and a
/// proposed change, the validation errors the change would add. The checks themselves are the
/// Validator's (what `validate` reports); this compares before and after, so a file that already
/// had a problem the change does not touch can still be saved — the fix, among other things —
/// while a change that makes anything worse is refused before a byte is written.
public enum Rules {
  /// The errors `after` has in the given files that `before` did not. Files that can be made wrong
  /// by a change elsewhere are checked with them: a persona's provider decides the temperature
  /// range of the AI Settings overrides bound to it, and its name the references of mma.toml.
  /// `renamed`: an entry the change renames — its problems before count as its problems under
  /// the new name (renaming an entry does not add the problems it already had).
  public static func errorsAdded(
    from before: Workspace, to after: Workspace, in files: [ConfigFileID],
    renamed: (kind: ConfigFileKind, old: String, new: String)? = nil
  ) -> [Diagnostic] {
    var checked = Set(files)
    for scope in Scope.allCases {
      checked.insert(.file(.mma, scope))
      checked.insert(.file(.aiSettings, scope))
    }
    var had = Validator.validate(before, only: checked)
    if let renamed { had = had.map { rename($0, renamed.kind, renamed.old, renamed.new) } }
    return added(had, Validator.validate(after, only: checked))
  }

  /// A problem of the entry `old` as it reads once the entry is named `new`.
  public static func rename(_ d: Diagnostic, _ kind: ConfigFileKind, _ old: String, _ new: String) -> Diagnostic {
    guard let key = kind.collectionKey else { return d }
    let from = "[\(key).\(TOMLWriter.formatKey(old))]"
    guard d.subject.hasPrefix(from) else { return d }
    var d = d
    d.subject = "[\(key).\(TOMLWriter.formatKey(new))]" + d.subject.dropFirst(from.count)
    return d
  }

  /// The errors `persona` would have once saved to the scope it goes to (replacing `old`, by name
  /// in that scope) that `old` did not have. Only this persona is checked (and one of its name in
  /// the other scope): a persona's checks look at presets, tool presets, bias profiles and
  /// providers, never at other personas, so checking the whole configuration would make every
  /// save in the editor a full validation.
  public static func errorsAdded(persona: Persona, replacing old: Persona?, in ws: Workspace, config: Config)
    -> [Diagnostic]
  {
    // (The scope it lives in, found without building the merged view of every persona.)
    let name = old?.name ?? persona.name
    let scope =
      [Scope.project, .global].first { s in ws.scopes[s]?.personas.contains { $0.name == name } == true } ?? .global
    func errors(_ p: Persona) -> [Diagnostic] {
      let subject = "[personas.\(TOMLWriter.formatKey(p.name))]"
      return Validator.validate(persona: p, in: scope, of: ws, config: config)
        .filter { $0.severity == .error && $0.subject.hasPrefix(subject) }
    }
    // The same problem of a renamed persona is the same problem.
    let before = (old.map(errors) ?? []).map { rename($0, .personas, old?.name ?? "", persona.name) }
    return added(before, errors(persona))
  }

  /// What `validate` reports that a run of the track depends on: the track's file; the personas
  /// its tickets resolve to, with the presets, tool presets and bias profiles they name; the
  /// catalogs and mma.toml; AI Settings when a ticket resolves to no persona; and every file of
  /// those kinds that does not parse. Errors refuse the run; warnings are said.
  public static func problems(running trackName: String, in ws: Workspace) -> [Diagnostic] {
    let config = ws.config
    guard let scoped = config.tracks.scoped(trackName) else { return [] }
    let track = scoped.value
    let resolver = Resolver(config)
    var personas: Set<String> = []
    var withoutPersona = false
    for t in track.tickets {
      let (name, _, _) = resolver.choosePersona(tier: (1...4).contains(t.tier) ? t.tier : 3, track: track, ticket: t)
      if let name { personas.insert(name) } else { withoutPersona = true }
    }
    var entries: [ConfigFileKind: Set<String>] = [.personas: personas]
    for name in personas {
      guard let p = config.personas[name] else { continue }
      if let id = p.systemPromptPresetID { entries[.presets, default: []].insert(id) }
      if let id = p.toolPresetID { entries[.toolPresets, default: []].insert(id) }
      if let id = p.biasProfileID { entries[.biasProfiles, default: []].insert(id) }
    }
    var files: Set<ConfigFileID> = [.track(trackName, scoped.scope)]
    for scope in Scope.allCases {
      for kind in ConfigFileKind.allCases where kind != .aiSettings || withoutPersona {
        files.insert(.file(kind, scope))
      }
    }
    let whole: Set<ConfigFileKind> = [.models, .tools, .mma, .aiSettings]
    var byPath: [String: ConfigFileID] = [:]
    for id in files {
      if let path = ws.files[id]?.path ?? ws.url(id)?.path { byPath[path] = id }
    }
    return Validator.validate(ws, only: files).filter { d in
      guard let id = byPath[d.file] else { return false }
      guard let kind = id.kind, !whole.contains(kind) else { return true }
      // A file that does not parse: its own error, whatever entry the run needs from it.
      if d.subject.isEmpty { return true }
      return entries[kind, default: []].contains {
        d.subject.hasPrefix("[\(kind.collectionKey!).\(TOMLWriter.formatKey($0))]")
      }
    }
  }

  /// The errors of `after` not among `before`, compared by file, subject and message (not by
  /// line: an edit moves the lines below it).
  public static func added(_ before: [Diagnostic], _ after: [Diagnostic]) -> [Diagnostic] {
    struct Key: Hashable {
      var file, subject, message: String
    }
    var had: [Key: Int] = [:]
    for d in before where d.severity == .error {
      had[Key(file: d.file, subject: d.subject, message: d.message), default: 0] += 1
    }
    var out: [Diagnostic] = []
    for d in after where d.severity == .error {
      let k = Key(file: d.file, subject: d.subject, message: d.message)
      if let n = had[k], n > 0 {
        had[k] = n - 1
      } else {
        out.append(d)
      }
    }
    return out
  }
}
