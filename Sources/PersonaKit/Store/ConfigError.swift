/// Why an operation on the configuration was refused. Every message names the file or the entry.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file does not parse; it is never written until it is fixed.
  case readOnly(path: String, reason: String)
  /// The file changed on disk since it was loaded; saving would overwrite someone else's change.
  case changedOnDisk(path: String)
  /// `suggestion`: a name near the one asked for (did you mean …?).
  case notFound(kind: String, name: String, suggestion: String? = nil)
  case alreadyExists(kind: String, name: String, scope: Scope)
  case inUse(kind: String, name: String, users: [String])
  case invalid(String)
  case noProjectDir
  case writeFailed(String)
  /// What would be written does not read back (a value nested deeper than a file may hold):
  /// nothing is written, the file stays as it was.
  case wouldNotLoad(path: String, reason: String)
  /// The user made the file read-only (no write permission for its owner): it is not written.
  case notWritable(path: String, mode: String)
  /// The folder's lock could not be taken: saving without it could interleave with another writer.
  case lockUnavailable(path: String, reason: String)
  /// The change would add these validation errors (`Rules`): nothing is written.
  case refused([Diagnostic])
  /// A rehearsal (`Workspace.rehearsal`) went through every check of a save and stopped before
  /// writing these files.
  case notWritten(paths: [String])

  public var description: String {
    switch self {
    case .readOnly(let path, let reason):
      return "\(path): not saved: the file does not parse (\(reason)); fix it first, it is never overwritten"
    case .changedOnDisk(let path):
      return "\(path): not saved: the file changed on disk since it was loaded; reload it and try again"
    case .notFound(let kind, let name, let suggestion):
      return "no \(kind) named \(TerminalSafe.quoted(name))"
        + (suggestion.map { " (did you mean \(TerminalSafe.quoted($0))?)" } ?? "")
    case .alreadyExists(let kind, let name, let scope):
      return "a \(kind) named \(TerminalSafe.quoted(name)) already exists (\(scope.rawValue) scope)"
    case .inUse(let kind, let name, let users):
      return
        "\(kind) \(TerminalSafe.quoted(name)) is in use by: \(users.joined(separator: "; ")) (use --force to delete it anyway)"
    case .invalid(let message):
      return message
    case .noProjectDir:
      return "no project dir: pass --project DIR or create .dramatis/ here"
    case .writeFailed(let message):
      return message
    case .wouldNotLoad(let path, let reason):
      return "\(path): not saved: what would be written does not read back (\(reason)); nothing was written"
    case .notWritable(let path, let mode):
      return
        "\(path): not saved: the file is read-only (mode \(mode)); dramatis does not write a file you made "
        + "read-only (chmod u+w to allow it); nothing was written"
    case .lockUnavailable(let path, let reason):
      return "not saved: cannot take the lock \(path) (\(reason)); nothing was written"
    case .refused(let problems):
      guard let first = problems.first else { return "not saved" }
      let more = problems.count > 1 ? " (and \(problems.count - 1) more error\(problems.count > 2 ? "s" : ""))" : ""
      return "not saved: \(first.subject.isEmpty ? "" : first.subject + ": ")\(first.message)\(more)"
    case .notWritten(let paths):
      let names = paths.map { path in
        let parts = path.split(separator: "/")
        return parts.suffix(parts.dropLast().last == "tracks" ? 2 : 1).joined(separator: "/")
      }
      return "checked, not written (no file is written here): would save \(names.joined(separator: ", "))"
    }
  }
}
