using System.Numerics.Tensors;
using MediaGateway.Engine.Ontology;

namespace MediaGateway.Engine.Query;

/// <summary>
/// Finds concepts in text two ways: by their labels, word for word (preferred and alternative labels, folded:
/// "Sci-Fi" = "sci fi"), and by meaning, comparing a phrase's embedding with every label's embedding computed
/// once at start-up with the same model, so paraphrases nobody listed still map.
/// </summary>
public sealed class ConceptLabels
{
    private readonly Dictionary<string, List<Concept>> _byLabel = new(StringComparer.Ordinal);
    private readonly (Concept Concept, string Label)[] _labels;
    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private float[]? _vectors;
    private int _dimension;

    public ConceptLabels(IOntologyStore ontology)
    {
        var labels = new List<(Concept, string)>();
        foreach (var concept in ontology.Concepts)
        foreach (var label in concept.Labels.Select(QueryText.Words).Where(l => l.Length > 0).Distinct())
        {
            if (!_byLabel.TryGetValue(Singular(label), out var list)) _byLabel[Singular(label)] = list = [];
            if (!list.Contains(concept)) list.Add(concept);
            labels.Add((concept, label));
            _exact.Add(label);
            MaxWords = Math.Max(MaxWords, label.Count(c => c == ' ') + 1);
        }
        _labels = labels.ToArray();
    }

    /// <summary>The longest label, in words: how far the label scan looks ahead.</summary>
    public int MaxWords { get; }

    /// <summary>Every label text, in the order <see cref="UseVectors"/> expects their embeddings.</summary>
    public IReadOnlyList<string> LabelTexts => _labels.Select(l => l.Label).ToArray();

    public bool HasVectors => _vectors is not null;

    /// <summary>Embeddings of <see cref="LabelTexts"/>, row-major, unit length.</summary>
    public void UseVectors(float[] vectors, int dimension)
    {
        if (vectors.Length != _labels.Length * dimension) throw new ArgumentException("One vector per label is needed.", nameof(vectors));
        (_vectors, _dimension) = (vectors, dimension);
    }

    /// <summary>True when some concept has exactly this label (no plural folding).</summary>
    public bool IsExactLabel(string words) => _exact.Contains(words);

    /// <summary>The concepts with this label; plurals match singulars ("romcoms" = "romcom", "true stories" = "true story").</summary>
    public IReadOnlyList<Concept> ByLabel(string words) => _byLabel.TryGetValue(Singular(words), out var list) ? list : [];

    /// <summary>Each word's English plural ending removed ("stories" → "story", "musicals" → "musical"), for both labels and queries.</summary>
    public static string Singular(string words) => string.Join(' ', words.Split(' ').Select(w =>
        w.Length <= 3 || w.EndsWith("ss", StringComparison.Ordinal) || w.EndsWith("us", StringComparison.Ordinal) || w.EndsWith("is", StringComparison.Ordinal) ? w
        : w.EndsWith("ies", StringComparison.Ordinal) ? w[..^3] + "y"
        : w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal) ? w[..^2]
        : w.EndsWith('s') ? w[..^1] : w));

    /// <summary>The concept whose label is closest in meaning to <paramref name="phrase"/> (cosine), if any labels have vectors.</summary>
    public PhraseMatch? Nearest(ReadOnlySpan<float> phrase)
    {
        if (_vectors is null || phrase.Length != _dimension) return null;
        var best = -1;
        var bestScore = float.MinValue;
        for (var i = 0; i < _labels.Length; i++)
        {
            var s = TensorPrimitives.Dot(phrase, _vectors.AsSpan(i * _dimension, _dimension));
            if (s > bestScore) (best, bestScore) = (i, s);
        }
        return best < 0 ? null : new PhraseMatch(_labels[best].Concept, _labels[best].Label, bestScore);
    }
}
