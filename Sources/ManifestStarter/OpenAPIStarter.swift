// PLACEHOLDER: replaced by the implementation.
public enum OpenAPIStarter {}
