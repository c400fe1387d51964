using System.Text;
using MediaGateway.Engine.Catalog;

namespace MediaGateway.Tests.Catalog;

/// <summary>Imports a catalog written out in a test.</summary>
internal static class CatalogFiles
{
    public static CatalogImportResult Import(string text) => new CatalogImporter().Import(new MemoryStream(Encoding.UTF8.GetBytes(text)));
}
