using System.Text;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Engine.Text;

namespace MediaGateway.Tests.Engine;

public sealed class MojibakeRepairTests
{
    [Theory]
    [InlineData("DÈj‡ Vu", "Déjà Vu")]
    [InlineData("Die F‰lscher", "Die Fälscher")]
    [InlineData("La MÙme", "La Môme")]
    [InlineData("CachÈ", "Caché")]
    [InlineData("Per qualche dollaro in pi˘", "Per qualche dollaro in più")]
    [InlineData("Obsluhoval jsem anglickÈho kr·le", "Obsluhoval jsem anglického krále")]
    [InlineData("De battre mon coeur s'est arrÍtÈ", "De battre mon coeur s'est arrêté")]
    public void Windows_1252_read_as_Mac_Roman_is_repaired(string garbled, string meant)
    {
        Assert.True(MojibakeRepair.TryRepair(garbled, out var repaired));
        Assert.Equal(meant, repaired);
    }

    [Theory]
    [InlineData("Amélie")]              // correct accents
    [InlineData("Élan vital")]          // a capital at a word's start
    [InlineData("AMÉLIE")]              // capitals throughout
    [InlineData("LÉON: THE PROFESSIONAL")]
    [InlineData("FRANÇAIS")]
    [InlineData("WALL·E")]              // a symbol between capitals
    [InlineData("A “heist” film")]      // curly quotes: the "repair" would leave Ò…Ó inside the text
    [InlineData("Alien³")]              // not a Mac Roman character: not this mix-up
    [InlineData("Ri¢hie Ri¢h")]         // the same in both code pages
    [InlineData("The Naked Gun")]
    [InlineData("東京物語")]
    public void Text_that_is_not_garbled_stays_as_it_is(string text)
    {
        Assert.False(MojibakeRepair.TryRepair(text, out var repaired));
        Assert.Equal(text, repaired);
    }

    [Fact]
    public void Titles_are_repaired_only_when_the_file_has_several_garbled_ones()
    {
        static IReadOnlyList<CatalogItem> Import(string json) => new CatalogImporter().Import(new MemoryStream(Encoding.UTF8.GetBytes(json))).Items;
        // One odd title is no evidence of the mix-up: "Paral·lel" (Catalan) stays as written.
        Assert.Equal("Paral·lel", Assert.Single(Import("""[{"Title":"Paral·lel"}]""")).Title);
        var items = Import("""[{"Title":"DÈj‡ Vu"},{"Title":"CachÈ"},{"Title":"Amélie"}]""");
        Assert.Equal(["Déjà Vu", "Caché", "Amélie"], items.Select(i => i.Title));
        Assert.Contains("titleEncodingRepaired: DÈj‡ Vu", items[0].Flags);
        Assert.Empty(items[2].Flags);
    }

    [Fact]
    public void The_demo_catalog_imports_with_its_accented_titles_repaired()
    {
        var items = new CatalogImporter().ImportFile(EngineOptions.FindDemoCatalog()!).Items;
        var titles = items.Select(i => i.Title).ToHashSet();
        Assert.Contains("Déjà Vu", titles);
        Assert.Contains("Le Fabuleux destin d'Amélie Poulain", titles);
        Assert.Contains("Alien³", titles);
        Assert.DoesNotContain(titles, t => t.Contains('‰') || t.Contains('‡') || t.Contains('˘'));
        Assert.Equal(16, items.Count(i => i.Flags.Any(f => f.StartsWith("titleEncodingRepaired"))));
    }
}
