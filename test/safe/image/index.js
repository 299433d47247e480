exports.handler = async () => 'image';
