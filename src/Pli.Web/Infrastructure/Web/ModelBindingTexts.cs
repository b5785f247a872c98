using System.Globalization;
using System.Resources;
using Microsoft.AspNetCore.Mvc;

namespace Pli.Web.Infrastructure.Web;

/// <summary>
/// The model binder's messages (a number field that got text, a missing value) in the reader's language:
/// ModelBindingTexts.resx (French) and ModelBindingTexts.en.resx. ASP.NET Core's own are English only, and name
/// the C# property; these speak of "this field", which the message sits next to.
/// </summary>
public static class ModelBindingTexts
{
    private static readonly ResourceManager Texts = new(typeof(ModelBindingTexts));

    public static void Apply(MvcOptions options)
    {
        var messages = options.ModelBindingMessageProvider;
        messages.SetAttemptedValueIsInvalidAccessor((value, _) => Format("AttemptedValueIsInvalid", value));
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => Format("AttemptedValueIsInvalid", value));
        messages.SetValueIsInvalidAccessor(value => Format("AttemptedValueIsInvalid", value));
        messages.SetValueMustNotBeNullAccessor(value => Format("AttemptedValueIsInvalid", value));
        messages.SetUnknownValueIsInvalidAccessor(_ => Format("UnknownValueIsInvalid"));
        messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => Format("UnknownValueIsInvalid"));
        messages.SetValueMustBeANumberAccessor(_ => Format("ValueMustBeANumber"));
        messages.SetNonPropertyValueMustBeANumberAccessor(() => Format("ValueMustBeANumber"));
        messages.SetMissingBindRequiredValueAccessor(_ => Format("MissingValue"));
        messages.SetMissingKeyOrValueAccessor(() => Format("MissingValue"));
        messages.SetMissingRequestBodyRequiredValueAccessor(() => Format("MissingRequestBody"));
    }

    private static string Format(string key, params object?[] values) =>
        string.Format(CultureInfo.CurrentCulture, Texts.GetString(key, CultureInfo.CurrentUICulture) ?? key, values);
}
