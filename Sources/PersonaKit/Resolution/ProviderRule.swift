/// The rule that ties a model to its provider, asked by resolution, validation and every screen
/// that picks a provider or a model: a model named without its provider belongs to the provider
/// that lists it; a provider chosen without a model brings one of its own.
extension Config {
  /// The providers whose catalog in `models.toml` lists `model`, in file order.
  public func providers(listing model: String) -> [String] {
    providers.values.filter { $0.models.contains(model) }.map(\.name)
  }

  /// The provider that serves `model` when it was named without one: `current` when that
  /// provider lists it, else the one provider that does, else `current` (none or several list
  /// it: nothing to move to — validation warns).
  public func provider(serving model: String, current: String?) -> String? {
    if let current, providers[current]?.models.contains(model) == true { return current }
    let owners = providers(listing: model)
    return owners.count == 1 ? owners[0] : current
  }

  /// The model to keep when the provider changes to `provider`: `model` when the new provider
  /// lists it (or the catalog does not know the provider), else the provider's default model,
  /// else the first it lists.
  public func model(_ model: String?, afterChangingProviderTo provider: String) -> String? {
    guard let p = providers[provider] else { return model }
    if let model, p.models.contains(model) { return model }
    return p.defaults.model ?? p.models.first ?? model
  }
}
