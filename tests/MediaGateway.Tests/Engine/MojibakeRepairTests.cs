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
    [InlineData("Per qualche dollaro in pi˘", "Per qualche dollaro in più")]
    [InlineData("Obsluhoval jsem anglickÈho kr·le", "Obsluhoval jsem anglického krále")]
    [InlineData("Joyeux NoÎl", "Joyeux Noël")]
    public void Windows_1252_read_as_Mac_Roman_is_repaired(string garbled, string meant) =>
        Assert.Equal(meant, MojibakeRepair.Repair(garbled));

    [Theory]
    [InlineData("Amélie")]            // correct accents
    [InlineData("Élan vital")]        // a capital at a word's start
    [InlineData("FRANÇAIS")]          // capitals throughout: the "repair" would make it worse
    [InlineData("Alien³")]            // not a Mac Roman character: not this mix-up
    [InlineData("Ri¢hie Ri¢h")]       // the same in both code pages
    [InlineData("The Naked Gun")]
    [InlineData("東京物語")]
    public void Text_that_is_not_garbled_stays_as_it_is(string text) =>
        Assert.Equal(text, MojibakeRepair.Repair(text));

    [Fact]
    public void The_demo_catalog_imports_with_its_accented_titles_repaired()
    {
        var titles = new CatalogImporter().ImportFile(EngineOptions.FindDemoCatalog()!).Items.Select(i => i.Title).ToHashSet();
        Assert.Contains("Déjà Vu", titles);
        Assert.Contains("Le Fabuleux destin d'Amélie Poulain", titles);
        Assert.Contains("Alien³", titles);
        Assert.DoesNotContain(titles, t => t.Contains('‰') || t.Contains('‡') || t.Contains('˘'));
    }
}
