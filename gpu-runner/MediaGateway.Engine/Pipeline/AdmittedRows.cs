using MediaGateway.Engine.Query;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Engine.Pipeline;

/// <summary>
/// What one vector search may return, in the two forms the stores take: the rows as a bitset (the in-process
/// index tests it per row) and the constraints they were computed from (a server store evaluates those that
/// have a typed clause itself, and gets the rest as ids).
/// </summary>
internal sealed record AdmittedRows(RowFilter Rows, IReadOnlyList<IConstraint> Constraints);
