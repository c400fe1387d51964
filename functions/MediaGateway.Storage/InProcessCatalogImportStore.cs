using MediaGateway.Contracts.Imports;

namespace MediaGateway.Storage;

/// <summary>
/// <see cref="ICatalogImportStore"/> in this process, for the embedded local run. Bounded: imports expire after the
/// retention, at most <see cref="MaxImports"/> are kept (oldest dropped first), and a file is let go as soon as its
/// import has finished, so at most a few uploads are held at once. One lock makes the conditional writes conditional.
/// </summary>
public sealed class InProcessCatalogImportStore(InProcessStoreOptions? options = null, TimeProvider? time = null) : ICatalogImportStore
{
    public const int MaxImports = 50;

    private readonly InProcessStoreOptions _options = options ?? new InProcessStoreOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slot> _imports = new(StringComparer.Ordinal);
    private readonly Queue<string> _oldestFirst = new();

    public Task<bool> TryCreateAsync(CatalogImportRecord import, ReadOnlyMemory<byte> file, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_imports.ContainsKey(import.ImportId)) return Task.FromResult(false);
            _imports[import.ImportId] = new Slot(import, file.ToArray());
            _oldestFirst.Enqueue(import.ImportId);
            while (_oldestFirst.Count > MaxImports) _imports.Remove(_oldestFirst.Dequeue());
            return Task.FromResult(true);
        }
    }

    public Task<CatalogImportRecord?> GetAsync(string importId, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(Live(importId)?.Import);
    }

    public Task<CatalogImportRecord?> TryUpdateAsync(string importId, Func<CatalogImportRecord, CatalogImportRecord?> change, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Live(importId) is not { } slot || change(slot.Import) is not { } next) return Task.FromResult<CatalogImportRecord?>(null);
            slot.Import = next with { ImportId = importId };
            if (slot.Import.Status is Contracts.Jobs.JobStatus.Succeeded or Contracts.Jobs.JobStatus.Failed) slot.File = null;
            return Task.FromResult<CatalogImportRecord?>(slot.Import);
        }
    }

    public Task<byte[]?> GetFileAsync(string importId, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(Live(importId)?.File);
    }

    private Slot? Live(string importId) =>
        _imports.TryGetValue(importId, out var slot) && _time.GetUtcNow() - slot.Import.CreatedAt <= _options.Retention ? slot : null;

    private sealed class Slot(CatalogImportRecord import, byte[] file)
    {
        public CatalogImportRecord Import { get; set; } = import;
        public byte[]? File { get; set; } = file;
    }
}
