/// A problem found in a file, with its place.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
  public enum Severity: String, Sendable, Codable {
    case error
    case warning
  }

  /// The file as shown to the user (a path).
  public var file: String
  public var line: Int?
  public var column: Int?
  /// What the message is about: `[personas."Security Reviewer"] temperature`.
  public var subject: String
  public var message: String
  public var severity: Severity

  public init(
    file: String, line: Int? = nil, column: Int? = nil, subject: String, message: String,
    severity: Severity = .error
  ) {
    self.file = file
    self.line = line
    self.column = column
    self.subject = subject
    self.message = message
    self.severity = severity
  }

  /// `file:line:col: subject: message`, or `file: subject: message` where no place is known;
  /// warnings say so after the place.
  public var description: String {
    var place = file
    if let line {
      place += ":\(line)"
      if let column { place += ":\(column)" }
    }
    let level = severity == .warning ? "warning: " : ""
    let about = subject.isEmpty ? "" : "\(subject): "
    return "\(place): \(level)\(about)\(message)"
  }

  /// A human subject for a path: `[personas."X"] preferred_models[0].temperature`.
  public static func subject(for path: [PathSegment]) -> String {
    var head: [PathSegment] = []
    var rest = path[...]
    while head.count < 2, let first = rest.first, case .key = first, rest.count > 1 {
      head.append(first)
      rest = rest.dropFirst()
    }
    if head.isEmpty, let first = rest.first, case .key = first, rest.count > 1 {
      head.append(first)
      rest = rest.dropFirst()
    }
    var tail = ""
    for segment in rest {
      switch segment {
      case .key: tail += (tail.isEmpty ? "" : ".") + segment.description
      case .index: tail += segment.description
      }
    }
    if head.isEmpty { return tail }
    let table = "[" + head.map(\.description).joined(separator: ".") + "]"
    return tail.isEmpty ? table : "\(table) \(tail)"
  }
}

/// The file a value was read from, so that problems can name their place.
public struct SourceFile: Sendable {
  public var path: String
  public var sourceMap: SourceMap

  public init(path: String, sourceMap: SourceMap = SourceMap()) {
    self.path = path
    self.sourceMap = sourceMap
  }

  public func diagnostic(
    _ path: [PathSegment], _ message: String, severity: Diagnostic.Severity = .error, subject: String? = nil
  ) -> Diagnostic {
    let position = sourceMap.position(of: path)
    return Diagnostic(
      file: self.path, line: position?.line, column: position?.column,
      subject: subject ?? Diagnostic.subject(for: path), message: message, severity: severity)
  }
}
