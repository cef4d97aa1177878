/// Where an entry lives: the global config dir or the project dir. A project entry replaces a
/// global entry of the same name.
public enum Scope: String, Sendable, CaseIterable, Codable, Comparable {
  case global
  case project

  public static func < (a: Scope, b: Scope) -> Bool { a == .global && b == .project }
}

/// A value and the scope it came from.
public struct Scoped<Value: Sendable>: Sendable {
  public var value: Value
  public var scope: Scope
  /// True when a project entry hides a global entry of the same name.
  public var shadowsGlobal: Bool

  public init(_ value: Value, scope: Scope, shadowsGlobal: Bool = false) {
    self.value = value
    self.scope = scope
    self.shadowsGlobal = shadowsGlobal
  }
}
