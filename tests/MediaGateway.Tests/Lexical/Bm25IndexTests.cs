using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Lexical;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Tests.Lexical;

/// <summary>The BM25 index answers with catalog rows: the right row for a word only one item has, at any row, and filters drop rows.</summary>
public sealed class Bm25IndexTests
{
    private static CatalogItem Item(int row, string title, string? director = null) =>
        new() { Id = $"item-{row}", Title = title, Director = director, EmbeddingText = $"{title} a film", Genres = [] };

    // Rows far apart in a catalog larger than one of Lucene's in-memory buffers of documents would be in order anyway;
    // titles made of a number spelled in letters keep every item's word its own.
    private static readonly InMemoryCatalogStore Catalog = new(Enumerable.Range(0, 3000).Select(row =>
        row switch
        {
            17 => Item(row, "Lighthouse Keeper"),
            18 => Item(row, "The Keeper", director: "Ana Lighthouse"),
            2_471 => Item(row, "Zanzibar Nights"),
            _ => Item(row, $"Untitled {Spell(row)}"),
        }));

    private static readonly Bm25Index Index = new(Catalog);

    private static string Spell(int n) => string.Concat(n.ToString().Select(d => (char)('a' + d - '0'))) + "q";

    [Fact]
    public void A_word_only_one_item_has_finds_that_items_row()
    {
        Assert.Equal([2_471], Index.Search("zanzibar", 5).Select(r => r.Row));
        Assert.Equal([2_999], Index.Search(Spell(2_999), 5).Select(r => r.Row));
    }

    [Fact]
    public void A_title_outranks_a_director_and_both_are_found()
    {
        var rows = Index.Search("lighthouse", 5);
        Assert.Equal([17, 18], rows.Select(r => r.Row));
        Assert.True(rows[0].Score > rows[1].Score);
    }

    [Fact]
    public void A_filter_drops_rows_it_does_not_allow()
    {
        var filter = RowFilter.FromPredicate(Catalog.Count, row => row != 17);
        Assert.Equal([18], Index.Search("lighthouse", 5, filter).Select(r => r.Row));
    }

    [Fact]
    public void Stop_words_alone_find_nothing() => Assert.Empty(Index.Search("the a of", 5));
}
