namespace MediaGateway.Engine.Catalog;

/// <summary>
/// The items the engine searches. Row i of the vector index is item i here, so the index and the
/// store agree by position and a search result maps back to an item without a lookup table.
/// </summary>
public interface ICatalogStore
{
    int Count { get; }
    CatalogItem this[int row] { get; }
    IReadOnlyList<CatalogItem> Items { get; }
    bool TryGetRow(string id, out int row);
}

public sealed class InMemoryCatalogStore : ICatalogStore
{
    private readonly CatalogItem[] _items;
    private readonly Dictionary<string, int> _rows;

    public InMemoryCatalogStore(IEnumerable<CatalogItem> items)
    {
        _items = items.ToArray();
        _rows = new Dictionary<string, int>(_items.Length, StringComparer.Ordinal);
        for (var i = 0; i < _items.Length; i++)
        {
            if (!_rows.TryAdd(_items[i].Id, i))
                throw new ArgumentException($"Duplicate catalog id '{_items[i].Id}'.", nameof(items));
        }
    }

    public int Count => _items.Length;
    public CatalogItem this[int row] => _items[row];
    public IReadOnlyList<CatalogItem> Items => _items;
    public bool TryGetRow(string id, out int row) => _rows.TryGetValue(id, out row);
}
