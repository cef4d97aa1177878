import FoundationEssentials

/// One file as it was read: its bytes (to notice a change on disk before a save), its parsed tree,
/// or the reason it could not be read. A file with an error is read-only until it is fixed.
public struct LoadedFile: Sendable {
  public let url: URL
  /// `url`'s path, made once: every reader of the file's entries holds it (through `source`), and
  /// `URL.path` costs a few thousand instructions each time.
  public let path: String
  /// The bytes read, or nil when the file did not exist.
  public var data: Data?
  public var parsed: ParsedTOML?
  public var syntaxError: TOMLSyntaxError?
  public var readError: String?

  public var exists: Bool { data != nil }
  public var isWritable: Bool { syntaxError == nil && readError == nil }
  public var root: TOMLDict { parsed?.root ?? TOMLDict() }
  public var source: SourceFile { SourceFile(path: path, sourceMap: parsed?.sourceMap ?? SourceMap()) }

  /// A file not read (yet): missing, empty and writable.
  public init(url: URL) {
    self.url = url
    path = url.path
  }

  /// Reads and parses a file; a missing file is an empty, writable one.
  public static func load(_ url: URL) -> LoadedFile {
    var file = LoadedFile(url: url)
    guard FileManager.default.fileExists(atPath: url.path) else { return file }
    do {
      let data = try Data(contentsOf: url)
      file.data = data
      file.parsed = try TOMLParser.parse(data)
    } catch let error as TOMLSyntaxError {
      file.syntaxError = error
    } catch {
      file.readError = systemMessage(error)
    }
    return file
  }

  /// The diagnostic for a file that could not be read or parsed.
  public var errorDiagnostic: Diagnostic? {
    if let e = syntaxError {
      return Diagnostic(
        file: path, line: e.line, column: e.column, subject: "",
        message: "\(e.message) (the file is read-only until this is fixed)")
    }
    if let e = readError {
      return Diagnostic(file: path, subject: "", message: "cannot read the file: \(e)")
    }
    return nil
  }
}
