import { SAM_FUNCTION_TYPE } from './template-references';
import { LoadedTemplate } from './template-source';
import { TemplateTool } from '../../judge/messages';

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/**
 * The tool that wrote a template without construct paths, so that a fix is given in its words (issue #18
 * §5): SAM as written (its transform, or a serverless resource) or translated (the `lambda:createdBy: SAM`
 * tag SAM puts on each function), a Serverless Framework package (`ServerlessDeploymentBucket`, or a file
 * in `.serverless/`), else plain CloudFormation. A CDK template is told per resource, by its construct path.
 */
export function templateToolOf(t: LoadedTemplate): TemplateTool {
  const template = t.template ?? {};
  const transforms = Array.isArray(template.Transform) ? template.Transform : [template.Transform];
  const resources = Object.values<any>(template.Resources ?? {}).filter((r) => typeof r === 'object' && r !== null);
  if (transforms.includes(SAM_TRANSFORM) || resources.some((r) => r.Type === SAM_FUNCTION_TYPE || isTranslatedBySam(r))) {
    return TemplateTool.SAM;
  }
  if (template.Resources?.ServerlessDeploymentBucket !== undefined || /(^|[\\/])\.serverless[\\/]/.test(t.file)) {
    return TemplateTool.SERVERLESS;
  }
  return TemplateTool.CLOUDFORMATION;
}

function isTranslatedBySam(resource: any): boolean {
  const tags = resource.Type === 'AWS::Lambda::Function' ? resource.Properties?.Tags : undefined;
  return Array.isArray(tags) && tags.some((tag: any) => tag?.Key === 'lambda:createdBy' && tag?.Value === 'SAM');
}
