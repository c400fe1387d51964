using System.Text;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace MediaGateway.Tests.Integration;

/// <summary>The catalog import store on real Azure Storage APIs (Azurite).</summary>
public sealed class AzuriteCatalogImportStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task An_import_keeps_its_file_once_and_its_progress_and_errors_change_only_conditionally()
    {
        var clients = StorageClients.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageRegistration.ConnectionName] = azurite.ConnectionString }).Build());
        var table = clients.Table(StorageNames.JobsTable);
        var container = clients.Container(StorageNames.ResultsContainer);
        await table.CreateIfNotExistsAsync();
        await container.CreateIfNotExistsAsync();
        var store = new AzureCatalogImportStore(table, container);
        var file = Encoding.UTF8.GetBytes("{\"title\":\"Alien\"}\n{\"year\":1999}\n");
        var now = DateTimeOffset.UtcNow;
        var import = new CatalogImportRecord { ImportId = JobIds.NewHandle(), Status = JobStatus.Queued, Bytes = file.Length, CreatedAt = now, UpdatedAt = now };

        Assert.True(await store.TryCreateAsync(import, file));
        Assert.False(await store.TryCreateAsync(import, Encoding.UTF8.GetBytes("overwritten")));
        Assert.Equal(file, await store.GetFileAsync(import.ImportId));
        Assert.Null(await store.GetFileAsync("no-such-import"));
        var stored = (await store.GetAsync(import.ImportId))!;
        Assert.Equal((JobStatus.Queued, (long)file.Length, 0), (stored.Status, stored.Bytes, stored.Errors.Count));

        var done = await store.TryUpdateAsync(import.ImportId, i => i with
        {
            Status = JobStatus.Succeeded, RowsRead = 2, Imported = 1, Rejected = 1, Flagged = 1, Errors = ["line 2: has no title"], CatalogVersion = "0123456789abcdef",
        });
        Assert.NotNull(done);
        var read = (await store.GetAsync(import.ImportId))!;
        Assert.Equal((JobStatus.Succeeded, 2, 1, 1, 1, "0123456789abcdef"), (read.Status, read.RowsRead, read.Imported, read.Rejected, read.Flagged, read.CatalogVersion));
        Assert.Equal(["line 2: has no title"], read.Errors);
        Assert.Null(await store.TryUpdateAsync(import.ImportId, _ => null));
        Assert.Null(await store.TryUpdateAsync("no-such-import", i => i with { Imported = 5 }));
    }
}
