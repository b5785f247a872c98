namespace Pli.Web.Features.Agents;

/// <summary>Marker for the agents' account texts: AgentsTexts.resx (French) and AgentsTexts.en.resx.</summary>
public sealed class AgentsTexts;
