namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>Save/load through <see cref="HnswFile"/> (the format is documented there).</summary>
public sealed unsafe partial class HnswIndex
{
    public void Save(string path)
    {
        _rw.EnterReadLock();
        try
        {
            var n = _nodeCount;
            long upperInts = 0;
            for (var i = 0; i < n; i++) upperInts += _upper[i]?.Length ?? 0;
            var header = new HnswFile.Header(Dimension, _m, _efConstruction, EfSearch, n, _entry, _maxLevel,
                HnswFile.PayloadBytes(n, Dimension, _m, upperInts, Encoding), _seed, Encoding);
            HnswFile.Write(path, header, put =>
            {
                for (var i = 0; i < n; i++) put(new ReadOnlySpan<byte>(_store.Vector(i), _store.VectorBytes));
                put(HnswFile.AsBytes(_rowOf.AsSpan(0, n)));
                put(_levels.AsSpan(0, n));
                put(HnswFile.AsBytes(_deleted.AsSpan(0, (n + 63) / 64)));
                for (var i = 0; i < n; i++) put(new ReadOnlySpan<byte>(_store.Links0(i), 4 * _stride0));
                for (var i = 0; i < n; i++)
                    if (_upper[i] is { } u) put(HnswFile.AsBytes(u.AsSpan()));
            });
        }
        finally
        {
            _rw.ExitReadLock();
        }
    }

    /// <summary>
    /// Loads a saved index, in the vector encoding the file records (version-1 files are float32);
    /// <paramref name="maxThreads"/> is a runtime setting, not stored.
    /// </summary>
    public static HnswIndex Load(string path, int maxThreads = 0) => HnswFile.Read(path, (h, next, fill) =>
    {
        var index = new HnswIndex(h.Dimension, new HnswOptions { M = h.M, EfConstruction = h.EfConstruction, EfSearch = h.EfSearch, MaxThreads = maxThreads, Seed = h.Seed, Encoding = h.Encoding });
        var n = h.Nodes;
        index.EnsureCapacity(Math.Max(n, 1));
        for (var i = 0; i < n; i++) fill(new Span<byte>(index._store.Vector(i), index._store.VectorBytes));
        fill(HnswFile.AsBytes(index._rowOf.AsSpan(0, n)));
        fill(index._levels.AsSpan(0, n));
        fill(HnswFile.AsBytes(index._deleted.AsSpan(0, (n + 63) / 64)));
        for (var i = 0; i < n; i++) fill(new Span<byte>(index._store.Links0(i), 4 * index._stride0));
        for (var i = 0; i < n; i++)
        {
            var level = index._levels[i];
            if (level > h.MaxLevel) throw new InvalidDataException($"node {i} is on layer {level}, above the top layer {h.MaxLevel}");
            if (level == 0) continue;
            var upper = new int[level * (h.M + 1)];
            fill(HnswFile.AsBytes(upper.AsSpan()));
            index._upper[i] = upper;
        }
        index._nodeCount = n;
        (index._entry, index._maxLevel) = (h.Entry, h.MaxLevel);
        index.Validate();
        return index;
    });

    /// <summary>
    /// Structural checks after the checksum: a file written by another build with a bug, or crafted, must
    /// not index out of range at search time.
    /// </summary>
    private void Validate()
    {
        var n = _nodeCount;
        if (n == 0 ? _entry != -1 : _entry < 0 || _entry >= n || _levels[_entry] != _maxLevel)
            throw new InvalidDataException($"the entry node {_entry} does not match the {n} nodes and top layer {_maxLevel}");
        var maxRow = -1;
        for (var i = 0; i < n; i++)
        {
            if (_rowOf[i] < 0) throw new InvalidDataException($"node {i} has a negative row {_rowOf[i]}");
            maxRow = Math.Max(maxRow, _rowOf[i]);
            for (var level = 0; level <= _levels[i]; level++)
            {
                var links = Links(i, level);
                var max = level == 0 ? _m0 : _m;
                if (links[0] < 0 || links[0] > max) throw new InvalidDataException($"node {i} has {links[0]} links on layer {level} (at most {max})");
                for (var j = 1; j <= links[0]; j++)
                    if ((uint)links[j] >= (uint)n || _levels[links[j]] < level)
                        throw new InvalidDataException($"node {i} links to node {links[j]} on layer {level}, which is not there");
            }
        }
        EnsureRowCapacity(maxRow + 1);
        _live = 0;
        _deletedCount = 0;
        for (var i = 0; i < n; i++)
        {
            if (IsDeleted(i)) { _deletedCount++; continue; }
            if (_nodeOf[_rowOf[i]] >= 0) throw new InvalidDataException($"row {_rowOf[i]} is live in two nodes");
            _nodeOf[_rowOf[i]] = i;
            _live++;
        }
    }
}
