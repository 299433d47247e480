def handler(event, context):
    return "python"
