namespace Pli.Web.Features.Registers;

/// <summary>The model of _RegisterExports: which register of which consultation.</summary>
public sealed record RegisterExportLinks(Guid ConsultationId, RegisterKind Kind);
