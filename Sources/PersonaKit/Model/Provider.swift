/// A provider of the model catalog (`models.toml`): its models, parameter ranges and defaults.
public struct Provider: Sendable, Equatable {
  public var name: String
  public var description: String
  public var models: [String]
  /// The temperatures the provider accepts (e.g. 0…2 or 0…1).
  public var temperatureRange: ClosedRange<Double>
  /// The largest `max_output_tokens` the provider accepts, when known.
  public var maxOutputTokensLimit: Int?
  /// Layer 5 of resolution: what a worker gets when nothing else sets a field.
  public var defaults: ModelSettings
  public var raw = TOMLDict()

  public init(
    name: String, description: String = "", models: [String], temperatureRange: ClosedRange<Double> = 0...2,
    maxOutputTokensLimit: Int? = nil, defaults: ModelSettings = ModelSettings()
  ) {
    self.name = name
    self.description = description
    self.models = models
    self.temperatureRange = temperatureRange
    self.maxOutputTokensLimit = maxOutputTokensLimit
    self.defaults = defaults
  }

  public static func read(name: String, _ reader: inout TableReader) -> Provider {
    var p = Provider(
      name: name, description: reader.string("description") ?? "", models: reader.stringArray("models") ?? [])
    if let range = reader.table("temperature_range") {
      var r = reader.child(range, .key("temperature_range"))
      let lo = r.double("min") ?? 0
      let hi = r.double("max") ?? 2
      r.warnUnknownKeys(["min", "max"])
      if lo <= hi {
        p.temperatureRange = lo...hi
      } else {
        r.report(r.file.diagnostic(r.path, "min \(lo) is above max \(hi)"))
      }
      reader.absorb(r)
    }
    p.maxOutputTokensLimit = reader.int("max_output_tokens_limit")
    if let d = reader.table("defaults") {
      var r = reader.child(d, .key("defaults"))
      p.defaults = ModelSettings.read(&r)
      r.warnUnknownKeys(ModelSettings.keys)
      reader.absorb(r)
    }
    reader.warnUnknownKeys(["description", "models", "temperature_range", "max_output_tokens_limit", "defaults"])
    p.raw = reader.table
    return p
  }
}
