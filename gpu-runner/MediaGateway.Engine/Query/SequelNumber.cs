namespace MediaGateway.Engine.Query;

/// <summary>
/// One spelling for the number in a title: "Part II", "part 2", "part two" and "the second" all name the same sequel,
/// so title words and a query's words are compared as digits. "I" and "X" stay words (a pronoun, and *Malcolm X*).
/// </summary>
public static class SequelNumber
{
    private static readonly Dictionary<string, string> Digits = new(StringComparer.Ordinal)
    {
        ["ii"] = "2", ["iii"] = "3", ["iv"] = "4", ["v"] = "5", ["vi"] = "6", ["vii"] = "7", ["viii"] = "8", ["ix"] = "9",
        ["one"] = "1", ["two"] = "2", ["three"] = "3", ["four"] = "4", ["five"] = "5", ["six"] = "6", ["seven"] = "7",
        ["eight"] = "8", ["nine"] = "9", ["ten"] = "10",
        ["first"] = "1", ["second"] = "2", ["third"] = "3", ["fourth"] = "4", ["fifth"] = "5", ["sixth"] = "6",
        ["1st"] = "1", ["2nd"] = "2", ["3rd"] = "3", ["4th"] = "4", ["5th"] = "5", ["6th"] = "6",
    };

    /// <summary>The word's digits when it is a number in another spelling; otherwise the word itself.</summary>
    public static string Canonical(string word) => Digits.GetValueOrDefault(word, word);
}
